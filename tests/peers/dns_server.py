#!/usr/bin/python3
"""A small authoritative DNS server for the WordPress suite's DKIM and deliverability
tests (tests/wp/lib/dns.php), which rewrite their zone between steps (a key the plugin
generated, published or not): answers TXT and MX queries over UDP from a JSON zone, on
127.0.0.1 and a port of the test's choosing. The PHPT suite asks the harness's NSD
(tests/peers/dns-start) instead.

    dns_server.py PORT ZONE.json

ZONE.json maps lower-case names to records: {"example.com": {"TXT": ["v=spf1 ..."],
"MX": [[10, "mx.example.com"]]}}. A name not in the zone is NXDOMAIN; a name without
the asked type answers no data. The zone file is read again on every query, so a test
can change it between calls. Serves until killed.
"""
import json
import socket
import struct
import sys

TYPES = {16: "TXT", 15: "MX"}


def read_name(packet, offset):
    labels = []
    while True:
        length = packet[offset]
        offset += 1
        if length == 0:
            return ".".join(labels), offset
        labels.append(packet[offset:offset + length].decode("ascii", "replace"))
        offset += length


def encode_name(name):
    out = b""
    for label in name.rstrip(".").split("."):
        out += bytes([len(label)]) + label.encode("ascii")
    return out + b"\x00"


def rdata(kind, value):
    if kind == "TXT":
        data = value.encode("utf-8")
        # RFC 1035 3.3.14: character-strings of at most 255 bytes each.
        return b"".join(bytes([len(data[i:i + 255])]) + data[i:i + 255] for i in range(0, max(len(data), 1), 255))
    preference, host = value
    return struct.pack("!H", preference) + encode_name(host)


def answer(packet, zone_path):
    ident, flags = struct.unpack("!HH", packet[:4])
    name, offset = read_name(packet, 12)
    qtype, qclass = struct.unpack("!HH", packet[offset:offset + 4])
    question = packet[12:offset + 4]
    with open(zone_path, encoding="utf-8") as zone_file:
        zone = json.load(zone_file)
    records = zone.get(name.lower())
    rcode = 3 if records is None else 0  # NXDOMAIN
    answers = b""
    count = 0
    for value in (records or {}).get(TYPES.get(qtype, ""), []):
        data = rdata(TYPES[qtype], value)
        # The owner name points back at the question (compression pointer to offset 12).
        answers += b"\xc0\x0c" + struct.pack("!HHIH", qtype, qclass, 60, len(data)) + data
        count += 1
    header = struct.pack("!HHHHHH", ident, 0x8400 | (flags & 0x0100) | rcode, 1, count, 0, 0)
    return header + question + answers


def main():
    port, zone_path = int(sys.argv[1]), sys.argv[2]
    server = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    server.bind(("127.0.0.1", port))
    while True:
        packet, client = server.recvfrom(4096)
        try:
            server.sendto(answer(packet, zone_path), client)
        except (IndexError, struct.error, ValueError, OSError):
            continue  # not a query we understand: no answer, as a server that drops it


if __name__ == "__main__":
    main()
