#!/usr/bin/python3
"""smtp_server.py: a small SMTP server for the scenarios smtp-sink cannot play.

    smtp_server.py --listen 127.0.0.1:12027 --nagle --stats nagle.jsonl
    smtp_server.py --listen 127.0.0.1:12029 --size-limit 1048576 --stats size.jsonl

Like smtp-sink it keeps no message; it advertises PIPELINING and 8BITMIME, never CHUNKING.

--nagle: the server some MTAs are (Haraka, a Node.js MTA, among them): TCP_NODELAY stays
off and each reply goes out in several small writes, the multi-line EHLO answer line by
line and every line's "250 " apart from its text. Nagle's algorithm then holds each write
after the first until the client acknowledges that one, and a client whose delayed ACK is
on waits about 40 ms for it. Without --nagle each reply is one write, TCP_NODELAY on: the
same server in Python, to tell the cost of Python from the cost of Nagle.

--size-limit N: advertises SIZE N (RFC 1870) and refuses as Postfix does: a MAIL FROM
declaring SIZE= over N gets 552 at once; a message that declared nothing and turns out
larger is read to its end and then refused with 552.

Once listening it prints "listening HOST:PORT" on stdout. When a connection closes, one
JSON line is appended to --stats:
    {"bytes_from_client", "bytes_before_refusal", "refusal", "messages"}
bytes_before_refusal: what the client had sent when the server sent its first 5xx reply
(null when it sent none); refusal: that reply; messages: messages accepted.
"""
import argparse
import json
import re
import signal
import socket
import socketserver
import sys
import threading

END_OF_DATA = b"\r\n.\r\n"
SIZE_PARAMETER = re.compile(rb"\sSIZE=(\d+)", re.IGNORECASE)


def parse_endpoint(text):
    host, _, port = text.rpartition(":")
    return host or "127.0.0.1", int(port)


class Conversation:
    """One client's bytes in and the server's replies out, counted for the stats line."""

    def __init__(self, sock, nagle):
        self.sock = sock
        self.nagle = nagle
        self.pending = b""
        self.bytes_from_client = 0
        self.bytes_before_refusal = None
        self.refusal = None
        self.messages = 0

    def receive(self):
        chunk = self.sock.recv(65536)
        self.bytes_from_client += len(chunk)
        self.pending += chunk
        return bool(chunk)

    def line(self):
        """The next command line without its CRLF, or None at end of stream."""
        while b"\r\n" not in self.pending:
            if not self.receive():
                return None
        line, self.pending = self.pending.split(b"\r\n", 1)
        return line

    def data(self):
        """Reads the message up to and without the lone dot; returns its size, or None at end of stream."""
        size = 0
        # The dot that ends the data follows a CRLF, and DATA's own CRLF counts as one.
        self.pending = b"\r\n" + self.pending
        while True:
            end = self.pending.find(END_OF_DATA)
            if end >= 0:
                size += end
                self.pending = self.pending[end + len(END_OF_DATA):]
                return size
            # Keep the tail: the end marker may straddle two reads.
            keep = len(END_OF_DATA) - 1
            size += max(0, len(self.pending) - keep)
            self.pending = self.pending[-keep:]
            if not self.receive():
                return None

    def reply(self, code, *lines):
        """Sends one reply: one write, or with --nagle a write per code and per text."""
        if code >= 500 and self.refusal is None:
            self.bytes_before_refusal = self.bytes_from_client
            self.refusal = f"{code} {lines[-1]}"
        pieces = []
        for number, text in enumerate(lines):
            separator = " " if number == len(lines) - 1 else "-"
            pieces += [f"{code}{separator}".encode(), f"{text}\r\n".encode()]
        if self.nagle:
            for piece in pieces:
                self.sock.sendall(piece)
        else:
            self.sock.sendall(b"".join(pieces))

    def summary(self):
        return {"bytes_from_client": self.bytes_from_client, "bytes_before_refusal": self.bytes_before_refusal,
                "refusal": self.refusal, "messages": self.messages}


def converse(talk, size_limit):
    """The SMTP dialogue, RFC 5321 4.1 reduced to what a benchmark client sends."""
    extensions = ["PIPELINING", "8BITMIME"] + ([f"SIZE {size_limit}"] if size_limit else [])
    talk.reply(220, "bench.localhost ESMTP smtp_server.py")
    declared_too_large = False
    while (line := talk.line()) is not None:
        verb = line[:4].upper()
        if verb == b"EHLO":
            talk.reply(250, "bench.localhost", *extensions)
        elif verb == b"HELO":
            talk.reply(250, "bench.localhost")
        elif verb == b"MAIL":
            declared = SIZE_PARAMETER.search(line)
            declared_too_large = bool(size_limit and declared and int(declared.group(1)) > size_limit)
            if declared_too_large:
                talk.reply(552, "5.3.4 Message size exceeds fixed limit")
            else:
                talk.reply(250, "2.1.0 Ok")
        elif verb == b"RCPT":
            if declared_too_large:
                talk.reply(503, "5.5.1 Error: need MAIL command")
            else:
                talk.reply(250, "2.1.5 Ok")
        elif verb == b"DATA":
            if declared_too_large:
                talk.reply(503, "5.5.1 Error: need RCPT command")
                continue
            talk.reply(354, "End data with <CR><LF>.<CR><LF>")
            size = talk.data()
            if size is None:
                return
            if size_limit and size > size_limit:
                talk.reply(552, "5.3.4 Message size exceeds fixed limit")
            else:
                talk.messages += 1
                talk.reply(250, "2.0.0 Ok: queued")
        elif verb in (b"RSET", b"NOOP"):
            declared_too_large = False
            talk.reply(250, "2.0.0 Ok")
        elif verb == b"QUIT":
            talk.reply(221, "2.0.0 Bye")
            return
        else:
            talk.reply(502, "5.5.2 Error: command not recognized")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--listen", required=True, help="HOST:PORT to accept clients on (port 0: any)")
    parser.add_argument("--nagle", action="store_true", help="Nagle on, each reply in several small writes")
    parser.add_argument("--size-limit", type=int, default=0, help="advertise and enforce SIZE (bytes)")
    parser.add_argument("--stats", help="file to append one JSON line per connection to")
    args = parser.parse_args()
    stats_lock = threading.Lock()

    class Handler(socketserver.BaseRequestHandler):
        def handle(self):
            # Said outright: Linux leaves Nagle on by default, and Python's asyncio would turn it off.
            self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 0 if args.nagle else 1)
            talk = Conversation(self.request, args.nagle)
            try:
                converse(talk, args.size_limit)
            except OSError:
                pass
            if args.stats:
                with stats_lock, open(args.stats, "a", encoding="ascii") as stats:
                    stats.write(json.dumps(talk.summary()) + "\n")

    class Server(socketserver.ThreadingTCPServer):
        allow_reuse_address = True
        daemon_threads = True
        request_queue_size = 64

    with Server(parse_endpoint(args.listen), Handler) as server:
        host, port = server.server_address[:2]
        print(f"listening {host}:{port}", flush=True)
        # SIGTERM ends it even when started with the signal ignored.
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            sys.exit(0)


if __name__ == "__main__":
    main()
