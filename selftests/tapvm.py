#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A minimal "VM" behind a tap device, for the port tests.

Usage: tapvm.py IFNAME MAC IPV4

Creates the tap IFNAME (not persistent: it goes away with this process),
prints "ready", then answers ARP requests and ICMP echo requests for IPV4
from MAC, as a guest's network stack would, until it is killed.
"""

import fcntl
import os
import socket
import struct
import sys

TUNSETIFF = 0x400454CA
IFF_TAP = 0x0002
IFF_NO_PI = 0x1000


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def arp_reply(frame, mac, ip):
    if len(frame) < 42 or frame[20:22] != b"\x00\x01" or frame[38:42] != ip:
        return None
    arp = struct.pack("!HHBBH", 1, 0x0800, 6, 4, 2)
    arp += mac + ip + frame[22:28] + frame[28:32]
    return frame[6:12] + mac + b"\x08\x06" + arp


def echo_reply(frame, mac, ip):
    if len(frame) < 34 or frame[0:6] != mac:
        return None
    ihl = (frame[14] & 0x0F) * 4
    total = struct.unpack("!H", frame[16:18])[0]
    iph = frame[14:14 + ihl]
    icmp = frame[14 + ihl:14 + total]
    if len(iph) < 20 or iph[9] != 1 or iph[16:20] != ip or \
            len(icmp) < 8 or icmp[0] != 8:
        return None
    icmp = b"\x00\x00\x00\x00" + icmp[4:]
    icmp = icmp[:2] + struct.pack("!H", csum(icmp)) + icmp[4:]
    iph = iph[:10] + b"\x00\x00" + iph[16:20] + iph[12:16] + iph[20:]
    iph = iph[:10] + struct.pack("!H", csum(iph)) + iph[12:]
    return frame[6:12] + mac + b"\x08\x00" + iph + icmp


def main():
    name = sys.argv[1]
    mac = bytes.fromhex(sys.argv[2].replace(":", ""))
    ip = socket.inet_aton(sys.argv[3])
    fd = os.open("/dev/net/tun", os.O_RDWR)
    fcntl.ioctl(fd, TUNSETIFF,
                struct.pack("16sH22x", name.encode(), IFF_TAP | IFF_NO_PI))
    print("ready", flush=True)
    while True:
        frame = os.read(fd, 65536)
        if len(frame) < 14:
            continue
        etype = frame[12:14]
        reply = None
        if etype == b"\x08\x06":
            reply = arp_reply(frame, mac, ip)
        elif etype == b"\x08\x00":
            reply = echo_reply(frame, mac, ip)
        if reply:
            os.write(fd, reply)


if __name__ == "__main__":
    main()
