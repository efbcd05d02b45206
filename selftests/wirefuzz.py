#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Send COUNT malformed or random frames out of IFNAME, seeded.

Usage: wirefuzz.py IFNAME COUNT SEED

Kinds, in turn: random bytes of random length (runts included), frames
from multicast or zero sources, stacked and bogus VLAN tags, BPDUs to
01:80:c2:00:00:00 with every byte after the LLC header garbled, near-valid
configuration and RST BPDUs with a few bytes garbled, other
link-local destinations, truncated LLC, 802.3 lengths that lie, frames
up to the MTU.  Prints how many the kernel took.
"""

import random
import socket
import struct
import sys

STP = bytes.fromhex("0180c2000000")


def mac(r, kind="any"):
    b = bytearray(r.randbytes(6))
    if kind == "unicast":
        b[0] &= 0xFE
    elif kind == "multicast":
        b[0] |= 0x01
    elif kind == "zero":
        b = bytearray(6)
    return bytes(b)


def frame(r, n):
    kind = n % 9
    if kind == 0:
        return r.randbytes(r.randint(1, 1514))
    if kind == 1:
        return (mac(r) + mac(r, r.choice(["multicast", "zero"])) +
                b"\x88\xb5" + r.randbytes(46))
    if kind == 2:
        tags = b"".join(r.choice([b"\x81\x00", b"\x88\xa8", b"\x91\x00"]) +
                        r.randbytes(2) for _ in range(r.randint(1, 5)))
        return (mac(r) + mac(r, "unicast") + tags + b"\x08\x00" +
                r.randbytes(r.randint(0, 100)))
    if kind == 3:
        body = r.randbytes(r.randint(0, 60))
        return (STP + mac(r, "unicast") + struct.pack("!H", 3 + len(body)) +
                b"\x42\x42\x03" + body)
    if kind == 4:
        # a configuration BPDU (35 bytes) or an RST BPDU (36: version 2,
        # type 2, a role), a few bytes garbled
        if r.randrange(2):
            body = bytearray(b"\0\0\0\0" + bytes(31))
        else:
            body = bytearray(b"\0\0\x02\x02\x0c" + bytes(31))
        for _ in range(r.randint(1, 6)):
            body[r.randrange(len(body))] = r.randrange(256)
        return (STP + mac(r, "unicast") + struct.pack("!H", 3 + len(body)) +
                b"\x42\x42\x03" + bytes(body))
    if kind == 5:
        dst = bytes.fromhex("0180c20000") + bytes([r.randrange(16)])
        return dst + mac(r, "unicast") + r.randbytes(r.randint(2, 80))
    if kind == 6:
        return STP + mac(r, "unicast") + struct.pack("!H", r.randrange(65536)) + \
            r.randbytes(r.randint(0, 3))
    if kind == 7:
        return (mac(r, "unicast") + mac(r, "unicast") + b"\x08\x00" +
                r.randbytes(r.randint(46, 1500)))
    return mac(r) + mac(r) + r.randbytes(2) + r.randbytes(r.randint(0, 1500))


def main():
    ifname, count, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    r = random.Random(seed)
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((ifname, 0))
    sent = 0
    for n in range(count):
        try:
            s.send(frame(r, n))
            sent += 1
        except OSError:
            pass
    print(sent)


if __name__ == "__main__":
    main()
