#!/usr/bin/python3
"""relay.py: a loopback TCP relay that delays each direction and counts client flights.

    relay.py --listen 127.0.0.1:20587 --target 127.0.0.1:10587 --delay-ms 10 --stats s.jsonl

Every byte is handed on --delay-ms after the relay read it, in each direction independently,
so one client round trip costs twice the delay, as on a link with that one-way latency.

Round trips are counted as client flights: a flight begins whenever the client sends after
the server spoke last (or sends first). A client that pipelines MAIL, RCPT and DATA
(RFC 2920) sends them as one flight; a lock-step client sends one flight per command. The
count needs no knowledge of SMTP, so it holds under TLS too: it only watches who talks.

When a connection closes, one JSON line is appended to --stats:
    {"client_flights", "server_flights", "bytes_up", "bytes_down", "seconds"}
and with --trace also "trace": every flight in order as [direction, bytes, start], start
in seconds of CLOCK_MONOTONIC (PHP's hrtime() reads the same clock), so a client that logs
when each send began and returned can tell which flights that send cost, leaving out QUIT
and the TLS close that follow it.
Once listening, the relay prints "listening HOST:PORT" on stdout (port 0 picks a free one).
"""
import argparse
import asyncio
import collections
import json
import sys
import time

UP, DOWN = "up", "down"  # client -> server, server -> client


def parse_endpoint(text):
    host, _, port = text.rpartition(":")
    return host or "127.0.0.1", int(port)


class Conversation:
    """Who spoke last on one relayed connection, and how often each side took the turn."""

    def __init__(self, traced):
        self.started = time.monotonic()
        self.last_speaker = None
        self.flights = {UP: 0, DOWN: 0}
        self.bytes = {UP: 0, DOWN: 0}
        self.trace = [] if traced else None

    def heard(self, direction, size):
        if direction != self.last_speaker:
            self.flights[direction] += 1
            self.last_speaker = direction
            if self.trace is not None:
                self.trace.append([direction, 0, round(time.monotonic(), 6)])
        if self.trace is not None:
            self.trace[-1][1] += size
        self.bytes[direction] += size

    def summary(self):
        summary = {
            "client_flights": self.flights[UP],
            "server_flights": self.flights[DOWN],
            "bytes_up": self.bytes[UP],
            "bytes_down": self.bytes[DOWN],
            "seconds": round(time.monotonic() - self.started, 4),
        }
        if self.trace is not None:
            summary["trace"] = self.trace
        return summary


class DelayLine:
    """Hands chunks to a writer, each one `delay` seconds after it was read, in order.

    A deque and one delivering task keep the order: timers with equal deadlines would not.
    """

    def __init__(self, writer, delay):
        self.writer = writer
        self.delay = delay
        self.pending = collections.deque()  # (due, bytes); bytes None marks end of stream
        self.arrived = asyncio.Event()

    def push(self, chunk):
        self.pending.append((time.monotonic() + self.delay, chunk))
        self.arrived.set()

    async def deliver(self):
        while True:
            while not self.pending:
                self.arrived.clear()
                await self.arrived.wait()
            due, chunk = self.pending.popleft()
            wait = due - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            if chunk is None:
                if self.writer.can_write_eof():
                    self.writer.write_eof()
                return
            self.writer.write(chunk)
            await self.writer.drain()


async def carry(reader, writer, conversation, direction, delay):
    """Copies one direction of the connection through a delay line until end of stream."""
    line = DelayLine(writer, delay)
    delivering = asyncio.create_task(line.deliver())
    try:
        while True:
            chunk = await reader.read(65536)
            if not chunk:
                break
            conversation.heard(direction, len(chunk))
            line.push(chunk)
    except OSError:
        pass
    line.push(None)
    try:
        await delivering
    except OSError:
        pass


async def serve(args):
    target_host, target_port = parse_endpoint(args.target)
    delay = args.delay_ms / 1000.0

    async def relay(client_reader, client_writer):
        conversation = Conversation(args.trace)
        try:
            server_reader, server_writer = await asyncio.open_connection(target_host, target_port)
        except OSError:
            client_writer.close()
            return
        await asyncio.gather(
            carry(client_reader, server_writer, conversation, UP, delay),
            carry(server_reader, client_writer, conversation, DOWN, delay),
        )
        for writer in (client_writer, server_writer):
            writer.close()
        if args.stats:
            with open(args.stats, "a", encoding="ascii") as stats:
                stats.write(json.dumps(conversation.summary()) + "\n")

    listen_host, listen_port = parse_endpoint(args.listen)
    server = await asyncio.start_server(relay, listen_host, listen_port)
    bound = server.sockets[0].getsockname()
    print(f"listening {bound[0]}:{bound[1]}", flush=True)
    async with server:
        await server.serve_forever()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--listen", required=True, help="HOST:PORT to accept clients on")
    parser.add_argument("--target", required=True, help="HOST:PORT of the real server")
    parser.add_argument("--delay-ms", type=float, default=10.0, help="one-way delay")
    parser.add_argument("--stats", help="file to append one JSON line per connection to")
    parser.add_argument("--trace", action="store_true", help="add every flight's direction and size")
    try:
        asyncio.run(serve(parser.parse_args()))
    except KeyboardInterrupt:
        sys.exit(0)


if __name__ == "__main__":
    main()
