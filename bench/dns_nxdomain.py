#!/usr/bin/env python3
"""A DNS stub for the rspamd peer of bench/run.sh: answers every query with NXDOMAIN at once.

rspamd is measured with its network modules off, but a few local checks still look names up (e.g.
hfilter resolves the From host). Pointing rspamd at this stub on loopback makes those lookups end
at once, without the network and without waiting for timeouts. Binds UDP 127.0.0.1 on a free port,
writes the port number to the file given as the first argument, and serves until killed.
"""
import socket
import struct
import sys


def main():
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    with open(sys.argv[1], "w") as f:
        f.write(str(sock.getsockname()[1]))
    while True:
        data, addr = sock.recvfrom(4096)
        if len(data) < 12:
            continue
        qid, flags, qdcount = struct.unpack("!HHH", data[:6])
        # Echo the question section: skip the name labels, then QTYPE and QCLASS.
        pos = 12
        if qdcount >= 1:
            while pos < len(data) and data[pos] != 0:
                pos += 1 + data[pos]
            pos += 5
        question = data[12:pos] if qdcount >= 1 and pos <= len(data) else b""
        rd = flags & 0x0100
        reply_flags = 0x8000 | rd | 0x0080 | 3  # QR, RD copied, RA, RCODE=NXDOMAIN
        # An EDNS OPT record in the reply, as a real resolver sends: rspamd's resolver (librdns)
        # ignores replies shorter than its own query structure, which short NXDOMAIN replies are.
        opt = b"\x00" + struct.pack("!HHIH", 41, 4096, 0, 0)
        header = struct.pack("!HHHHHH", qid, reply_flags, 1 if question else 0, 0, 0, 1)
        sock.sendto(header + question + opt, addr)


if __name__ == "__main__":
    main()
