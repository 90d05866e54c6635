#!/usr/bin/python3
"""A deliberately misbehaving SMTP server for protocol-violation tests.

Usage: scripted_server.py PORT SCRIPT_JSON
SCRIPT_JSON: {"greeting": "220 hi\\r\\n", "replies": {"EHLO": "...", "STARTTLS": "..."}}
Sends the greeting as given (any bytes, even not SMTP), then answers each
command line with the reply for its first word (raw bytes, may be several
replies or garbage), "250 ok\\r\\n" otherwise. Serves connections one at a time
until killed; exits by itself after 60 s so a forgotten one never lingers.
"""
import json
import socket
import sys

port = int(sys.argv[1])
script = json.loads(sys.argv[2])
listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
listener.bind(("127.0.0.1", port))
listener.listen(4)
listener.settimeout(60)
try:
    while True:
        conn, _ = listener.accept()
        conn.settimeout(10)
        with conn:
            conn.sendall(script["greeting"].encode())
            buffer = b""
            try:
                while True:
                    data = conn.recv(4096)
                    if not data:
                        break
                    buffer += data
                    while b"\n" in buffer:
                        line, buffer = buffer.split(b"\n", 1)
                        word = line.strip().split(b" ")[0].decode(errors="replace").upper()
                        reply = script.get("replies", {}).get(word, "250 ok\r\n")
                        conn.sendall(reply.encode())
            except (socket.timeout, ConnectionError):
                pass
except socket.timeout:
    pass
