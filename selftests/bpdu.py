#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Send 802.1D BPDUs, good or broken, for the STP tests: one per KIND,
in the order given.

Usage: bpdu.py [--every SECS] IFNAME KIND...

With --every, the KINDs are sent again every SECS seconds until the
process is killed: one process, so a slow guest's interpreter start-up
does not stretch the interval.

KIND: "tcn"; "config", a configuration BPDU superior to any bridge (root
and bridge 0000.020000000001, cost 0, port 8001, max age 6 s, hello 1 s,
forward delay 2 s); or that BPDU broken one way: "short" (cut at 20
bytes), "proto" (protocol id 1), "version" (1, as RSTP), "type" (2),
"maxage0", "oldmsg" (message age 7 s, past max age), "fdhuge" (forward
delay 255 s), "llc" (SSAP 0x43); or an RST BPDU (version 2, type 2, 36
bytes) broken: "rstshort" (cut at 35 bytes), "rstv1" (version 1); or
a good RST BPDU from that root's designated port, forwarding: "rst"
(cost 0), "rstcost" (cost 10: each of the two, after the other, is news
to the bridge that hears it), "rstunknown" (the port role Unknown, which
no bridge sends).
"""

import socket
import struct
import sys
import time


def stp_time(secs):
    return struct.pack("!H", int(secs * 256))


def bpdu(kind):
    bid = bytes.fromhex("0000020000000001")
    body = bytearray(b"\0\0\0\0\0" + bid + struct.pack("!I", 0) + bid +
                     struct.pack("!H", 0x8001) + stp_time(0) + stp_time(6) +
                     stp_time(1) + stp_time(2))
    # offsets: 0 protocol id, 2 version, 3 type, 4 flags, 5 root,
    # 13 cost, 17 bridge, 25 port, 27 message age, 29 max age,
    # 31 hello time, 33 forward delay
    if kind == "tcn":
        body = bytearray(b"\0\0\0\x80")
    elif kind == "short":
        body = body[:20]
    elif kind == "proto":
        body[1] = 1
    elif kind == "version":
        body[2] = 1
    elif kind == "type":
        body[3] = 2
    elif kind == "maxage0":
        body[29:31] = stp_time(0)
    elif kind == "oldmsg":
        body[27:29] = stp_time(7)
    elif kind == "fdhuge":
        body[33:35] = stp_time(255)
    elif kind in ("rst", "rstcost", "rstunknown"):
        body[2] = 2
        body[3] = 2
        body[4] = 0x3c      # designated, learning, forwarding
        if kind == "rstunknown":
            body[4] = 0x30
        if kind == "rstcost":
            body[13:17] = struct.pack("!I", 10)
        body += b"\0"
    elif kind in ("rstshort", "rstv1"):
        body[2] = 2 if kind == "rstshort" else 1
        body[3] = 2
        body += b"\0"
        if kind == "rstshort":
            body = body[:35]
    elif kind != "config" and kind != "llc":
        sys.exit("unknown kind " + kind)
    ssap = b"\x43" if kind == "llc" else b"\x42"
    llc = b"\x42" + ssap + b"\x03" + bytes(body)
    frame = (bytes.fromhex("0180c2000000020000000001") +
             struct.pack("!H", len(llc)) + llc)
    return frame + bytes(max(0, 60 - len(frame)))


def main():
    args = sys.argv[1:]
    every = None
    if args[:1] == ["--every"]:
        every = float(args[1])
        args = args[2:]
    frames = [bpdu(kind) for kind in args[1:]]
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((args[0], 0))
    while True:
        for frame in frames:
            s.send(frame)
        if every is None:
            return
        time.sleep(every)


if __name__ == "__main__":
    main()
