#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A TCP service that tells each client the address it came from.

Usage: peerecho.py serve PORT
       peerecho.py ask HOST PORT

serve prints "listening", then answers each connection on PORT (any
IPv4 address) with the peer's address and a newline, printing that
address too, until it is killed.  ask connects to HOST (a name, through
the resolver, or an address), prints the answer and exits 0; 1 if no
answer came within 3 seconds.
"""

import socket
import sys


def serve(port):
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("0.0.0.0", port))
    srv.listen(16)
    print("listening", flush=True)
    while True:
        conn, peer = srv.accept()
        with conn:
            conn.sendall(peer[0].encode() + b"\n")
        print(peer[0], flush=True)


def ask(host, port):
    try:
        with socket.create_connection((host, port), timeout=3) as conn:
            conn.settimeout(3)
            data = b""
            while not data.endswith(b"\n"):
                chunk = conn.recv(64)
                if not chunk:
                    break
                data += chunk
    except OSError as err:
        print(f"peerecho: {host} port {port}: {err}", file=sys.stderr)
        return 1
    print(data.decode().strip())
    return 0 if data else 1


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "serve":
        serve(int(sys.argv[2]))
    elif len(sys.argv) == 4 and sys.argv[1] == "ask":
        sys.exit(ask(sys.argv[2], int(sys.argv[3])))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
