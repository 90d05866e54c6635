#!/usr/bin/python3
"""fault_relay.py: a loopback TCP relay that breaks some connections on purpose (issue 10).

    fault_relay.py --route 12601=10025/plain --route 12602=10587/starttls --seed 1 --log faults.jsonl

Each accepted connection gets a plan drawn from a random generator seeded with (seed, listening
port, connection number), so the same seed and the same sequence of connections give the same
faults. With probability --fault-rate the plan holds one fault at one byte offset of one
direction (client to server "up", server to client "down"):

    reset            at the offset, both sides are reset (SO_LINGER 0: RST, no FIN)
    stall            from the offset nothing more is relayed; --stall seconds later, reset
    reply_421        the client's bytes from the offset on never reach the server; once the
                     server has answered every command it did receive, the client gets
                     "421 4.3.0" in place of the next reply, then a close (plaintext routes)
    truncated_reply  the client gets part of a server reply, cut at or after the offset, then a
                     close (plaintext routes)
    tls_midrecord    after STARTTLS, the stream is cut strictly inside a TLS record (5-byte
                     header, RFC 8446 5.1), then both sides are closed (STARTTLS routes)

On plaintext routes half the connections (drawn first, from the same generator) also see
CHUNKING renamed XCHUNKIN in the EHLO reply (same length, so every offset holds): the client
then sends DATA and dot-terminated content (RFC 5321 4.1.1.4) instead of BDAT, and faults meet
that path too.

Every fault keeps the server honest: a "421" never stands in for a reply the server already
gave to bytes it received (the message may be stored, and a 421 would say it is not), which is
why the relay counts the commands and replies of plaintext SMTP (RFC 5321, BDAT of RFC 3030).
After a fault the relay reads and drops whatever still comes, so no side blocks writing to it.

On close, one JSON line per connection goes to --log: its number, route, plan, whether and
where the fault fired (CLOCK_MONOTONIC seconds, as PHP's hrtime()), the last client command
and reply seen before it, and the bytes each way. Only loopback addresses are accepted.
Once listening the relay prints "listening PORT" per route on stdout.
"""
import argparse
import asyncio
import copy
import ipaddress
import json
import math
import random
import socket
import struct
import sys
import time

UP, DOWN = "up", "down"
PLAIN_FAULTS = ("reset", "stall", "reply_421", "truncated_reply")
STARTTLS_FAULTS = ("reset", "stall", "tls_midrecord")
# How long a closed side is drained before the socket goes (so the close is a FIN, not the RST
# that unread data would cause), and how long a 421 waits for the server's owed replies.
DRAIN_SECONDS = 2.0
OWED_REPLIES_SECONDS = 5.0
TLS_HEADER = 5


class CommandStream:
    """The client's side of plaintext SMTP: how many replies the commands sent so far are owed.

    Every command line is owed one reply (AUTH continuation lines too); a BDAT chunk is owed
    its reply once all its bytes arrived (RFC 3030 2); DATA content once its "." line arrived
    (RFC 5321 4.1.1.4). After STARTTLS the rest is TLS records (RFC 3207 4).
    """

    def __init__(self):
        self.owed = 1  # the greeting
        self.state = "line"
        self.line = bytearray()
        self.chunk_left = 0
        self.data_tail = b"\r\n"  # content starts on a line of its own
        self.last_command = ""
        self.starttls_owed = None  # the reply number that answers STARTTLS
        self.tls_start = None  # offset of the first TLS byte in this direction
        self.records = RecordStream()
        self.total = 0

    def feed(self, chunk):
        """Reads chunk; returns the offsets (absolute) at which a TLS record ends in it."""
        start = self.total
        self.total += len(chunk)
        position = 0
        while position < len(chunk):
            if self.state == "tls":
                return self.records.feed(chunk[position:], start + position)
            if self.state == "line":
                end = chunk.find(b"\n", position)
                if end < 0:
                    self.line += chunk[position:]
                    return []
                self.line += chunk[position : end + 1]
                position = end + 1
                self.command_line(bytes(self.line), start + position)
                self.line.clear()
            elif self.state == "bdat":
                taken = min(self.chunk_left, len(chunk) - position)
                self.chunk_left -= taken
                position += taken
                if self.chunk_left == 0:
                    self.owed += 1
                    self.state = "line"
            else:  # DATA content until CRLF.CRLF
                window = self.data_tail + chunk[position:]
                end = window.find(b"\r\n.\r\n")
                if end < 0:
                    self.data_tail = window[-4:]
                    return []
                position += end + 5 - len(self.data_tail)
                self.owed += 1
                self.state = "line"
                self.data_tail = b"\r\n"
        return []

    def command_line(self, line, end_offset):
        text = line.decode("ascii", "replace").strip()
        verb = text.split(" ", 1)[0].upper()
        self.last_command = text if verb != "AUTH" else "AUTH ..."  # no credentials in the log
        if verb == "BDAT":
            words = text.split()
            self.chunk_left = int(words[1]) if len(words) > 1 and words[1].isdigit() else 0
            if self.chunk_left:
                self.state = "bdat"
                return
        elif verb == "DATA":
            self.state = "data"
        elif verb == "STARTTLS":
            self.starttls_owed = self.owed + 1
            self.state = "tls"
            self.tls_start = end_offset
        self.owed += 1


class ReplyStream:
    """The server's side of plaintext SMTP: where each reply ends (RFC 5321 4.2: "250-"
    continues, "250 " ends), and where TLS begins once the reply to STARTTLS is over."""

    def __init__(self, commands):
        self.commands = commands
        self.replies = 0
        self.line = bytearray()
        self.last_reply = ""
        self.tls_start = None
        self.records = RecordStream()
        self.total = 0

    def feed(self, chunk):
        """Reads chunk; returns the offsets (absolute) at which a reply or TLS record ends in it."""
        start = self.total
        self.total += len(chunk)
        ends = []
        position = 0
        while position < len(chunk):
            if self.tls_start is not None:
                return ends + self.records.feed(chunk[position:], start + position)
            end = chunk.find(b"\n", position)
            if end < 0:
                self.line += chunk[position:]
                return ends
            self.line += chunk[position : end + 1]
            position = end + 1
            line = bytes(self.line)
            self.line.clear()
            if len(line) < 6 or line[3:4] != b"-":  # "250\r\n" or "250 ...": the last line
                self.replies += 1
                self.last_reply = line.decode("ascii", "replace").strip()[:60]
                ends.append(start + position)
                if self.replies == self.commands.starttls_owed:
                    self.tls_start = start + position
        return ends


class RecordStream:
    """TLS records: a 5-byte header whose last two bytes are the length (RFC 8446 5.1)."""

    def __init__(self):
        self.header = bytearray()
        self.body_left = 0

    def feed(self, data, offset):
        ends = []
        position = 0
        while position < len(data):
            if self.body_left:
                taken = min(self.body_left, len(data) - position)
                self.body_left -= taken
                position += taken
                if self.body_left == 0:
                    ends.append(offset + position)
                continue
            taken = min(TLS_HEADER - len(self.header), len(data) - position)
            self.header += data[position : position + taken]
            position += taken
            if len(self.header) == TLS_HEADER:
                self.body_left = struct.unpack("!H", self.header[3:5])[0]
                self.header.clear()
                if self.body_left == 0:
                    ends.append(offset + position)
        return ends


def draw_plan(rng, faults, fault_rate, span):
    """One connection's fault (or none): which, in which direction, at which byte."""
    if rng.random() >= fault_rate:
        return None
    fault = rng.choice(faults)
    if fault == "reply_421":
        direction = UP
    elif fault == "truncated_reply":
        direction = DOWN
    else:
        direction = rng.choice((UP, DOWN))
    # Half uniform over the span, half log-uniform: the handshake's few hundred bytes get as
    # many faults as the messages' many thousands.
    if rng.random() < 0.5:
        offset = rng.randrange(span[direction])
    else:
        offset = int(math.exp(rng.uniform(0, math.log(span[direction])))) - 1
    return {"fault": fault, "direction": direction, "offset": offset}


def reset(writer):
    """Closes with RST: SO_LINGER on with a zero timeout discards the send queue."""
    sock = writer.get_extra_info("socket")
    try:
        if sock is not None:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    except OSError:
        pass
    writer.transport.abort()


class Connection:
    def __init__(self, number, route, plan, hide_chunking, client, server):
        self.number = number
        self.route = route
        self.plan = plan
        self.hide_chunking = hide_chunking
        self.client_reader, self.client_writer = client
        self.server_reader, self.server_writer = server
        self.commands = CommandStream()
        self.replies = ReplyStream(self.commands)
        self.fired = None  # where and when the fault fired, and what the relay had seen
        self.stopped = {UP: False, DOWN: False}  # a stopped direction reads and drops
        self.owed_before_421 = None  # replies the server owes before the 421 goes out
        self.opened = time.monotonic()
        self.bytes = {UP: 0, DOWN: 0}

    def tracker(self, direction):
        return self.commands if direction == UP else self.replies

    def cut_in(self, direction, chunk):
        """How many bytes of chunk are relayed before the fault fires, or None."""
        plan = self.plan
        if plan is None or self.fired or plan["direction"] != direction:
            return None
        tracker = self.tracker(direction)
        start = tracker.total
        if plan["fault"] in ("reset", "stall", "reply_421"):
            if start <= plan["offset"] < start + len(chunk):
                return plan["offset"] - start
            return None
        # Strictly inside a unit, a reply (truncated_reply) or a TLS record (tls_midrecord):
        # the first position at or after the offset where a unit has begun and not ended.
        # A copy reads ahead; the tracker itself reads only what is relayed.
        ahead = copy.deepcopy(tracker)
        ends = set(ahead.feed(chunk))
        if plan["fault"] == "tls_midrecord":
            if ahead.tls_start is None:
                return None
            unit_start, first = ahead.tls_start, ahead.tls_start + plan["offset"]
        else:
            unit_start, first = 0, plan["offset"]
        candidate = max(first, start + 1, unit_start + 1)
        while candidate in ends:
            candidate += 1
        if candidate > start + len(chunk):
            return None
        return candidate - start

    def fire(self, direction):
        self.fired = {
            "at": round(time.monotonic(), 6),
            "direction": direction,
            "offset": self.tracker(direction).total,
            "last_command": self.commands.last_command[:60],
            "last_reply": self.replies.last_reply,
            "replies": self.replies.replies,
            "owed": self.commands.owed,
            "tls": self.commands.tls_start is not None,
        }

    async def pump(self, direction):
        reader = self.client_reader if direction == UP else self.server_reader
        writer = self.server_writer if direction == UP else self.client_writer
        tracker = self.tracker(direction)
        while True:
            try:
                chunk = await reader.read(65536)
            except OSError:
                chunk = b""
            if not chunk:
                break
            self.bytes[direction] += len(chunk)
            if self.stopped[direction]:
                continue
            if direction == DOWN and self.hide_chunking and self.replies.replies < 2:
                chunk = chunk.replace(b"CHUNKING\r\n", b"XCHUNKIN\r\n")  # in the EHLO reply
            cut = self.cut_in(direction, chunk)
            relayed = chunk if cut is None else chunk[:cut]
            tracker.feed(relayed)
            await self.forward(writer, relayed)
            if cut is not None:
                self.fire(direction)
                self.strike()
            elif direction == DOWN and self.owed_before_421 is not None:
                self.send_421_when_answered()
        if not self.stopped[direction]:
            # An orderly end of one side is passed on as such.
            try:
                if writer.can_write_eof():
                    writer.write_eof()
            except OSError:
                pass

    @staticmethod
    async def forward(writer, chunk):
        if not chunk:
            return
        try:
            writer.write(chunk)
            await writer.drain()
        except OSError:
            pass

    def strike(self):
        fault = self.plan["fault"]
        loop = asyncio.get_running_loop()
        self.stopped[UP] = True
        if fault == "reply_421":
            # The server's replies to what it did receive still pass; then the 421.
            self.owed_before_421 = self.commands.owed
            loop.call_later(OWED_REPLIES_SECONDS, self.owed_replies_late)
            self.send_421_when_answered()
            return
        self.stopped[DOWN] = True
        if fault == "reset":
            self.reset_both()
        elif fault == "stall":
            loop.call_later(self.route["stall"], self.reset_both)
        elif fault == "truncated_reply":
            self.close_client()
            reset(self.server_writer)  # so the server drops an unfinished transaction
        else:  # tls_midrecord: a close, not a reset
            self.close_client()
            self.server_writer.close()

    def send_421_when_answered(self):
        if self.owed_before_421 is None or self.replies.replies < self.owed_before_421:
            return
        self.owed_before_421 = None
        self.stopped[DOWN] = True
        self.fired["replaced_reply"] = self.replies.replies + 1
        try:
            self.client_writer.write(b"421 4.3.0 fault_relay: service shutting down\r\n")
        except OSError:
            pass
        self.close_client()
        reset(self.server_writer)

    def owed_replies_late(self):
        # The server has not answered all it received: a 421 now could stand in for a reply
        # that says the message was stored. A reset claims nothing.
        if self.owed_before_421 is None:
            return
        self.owed_before_421 = None
        self.stopped[DOWN] = True
        self.fired["fallback"] = "reset: the server's owed replies did not come"
        self.reset_both()

    def close_client(self):
        try:
            if self.client_writer.can_write_eof():
                self.client_writer.write_eof()
        except OSError:
            pass
        asyncio.get_running_loop().call_later(DRAIN_SECONDS, self.client_writer.close)

    def reset_both(self):
        reset(self.client_writer)
        reset(self.server_writer)

    def summary(self):
        return {
            "conn": self.number,
            "route": self.route["name"],
            "plan": self.plan,
            "chunking_hidden": self.hide_chunking,
            "fired": self.fired,
            "opened": round(self.opened, 6),
            "closed": round(time.monotonic(), 6),
            "bytes_up": self.bytes[UP],
            "bytes_down": self.bytes[DOWN],
        }


def parse_plan(text):
    fault, direction, offset = text.split(":")
    return {"fault": fault, "direction": direction, "offset": int(offset)}


def loopback_endpoint(text):
    host, _, port = text.rpartition(":")
    host = host or "127.0.0.1"
    if not ipaddress.ip_address(host).is_loopback:
        raise SystemExit(f"fault_relay.py: {host} is not a loopback address")
    return host, int(port)


def parse_route(text, args):
    """LISTEN=TARGET/plain or /starttls, e.g. 12601=10025/plain."""
    listen, _, target = text.partition("=")
    target, _, kind = target.partition("/")
    if kind not in ("plain", "starttls"):
        raise SystemExit(f"fault_relay.py: route {text}: the kind is plain or starttls")
    return {
        "name": f"{listen}->{target}/{kind}",
        "listen": loopback_endpoint(listen if ":" in listen else "127.0.0.1:" + listen),
        "target": loopback_endpoint(target if ":" in target else "127.0.0.1:" + target),
        "faults": PLAIN_FAULTS if kind == "plain" else STARTTLS_FAULTS,
        "stall": args.stall,
        "connections": 0,
    }


async def serve(args):
    routes = [parse_route(text, args) for text in args.route]
    span = {UP: args.span_up, DOWN: args.span_down}
    log = open(args.log, "a", encoding="ascii", buffering=1) if args.log else None

    def handler(route):
        async def relay(client_reader, client_writer):
            route["connections"] += 1
            number = route["connections"]
            rng = random.Random(f"{args.seed}/{route['listen'][1]}/{number}")
            hide_chunking = route["faults"] == PLAIN_FAULTS and rng.random() < 0.5
            plan = draw_plan(rng, route["faults"], args.fault_rate, span)
            if args.plan:  # a replay: the one fault and path asked for
                plan, hide_chunking = dict(args.plan), args.hide_chunking
            try:
                server = await asyncio.open_connection(*route["target"])
            except OSError:
                reset(client_writer)
                return
            connection = Connection(number, route, plan, hide_chunking, (client_reader, client_writer), server)
            await asyncio.gather(connection.pump(UP), connection.pump(DOWN))
            for writer in (client_writer, server[1]):
                writer.close()
            if log:
                log.write(json.dumps(connection.summary()) + "\n")

        return relay

    servers = []
    for route in routes:
        server = await asyncio.start_server(handler(route), *route["listen"])
        servers.append(server)
        print(f"listening {route['listen'][1]}", flush=True)
    await asyncio.gather(*(server.serve_forever() for server in servers))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--route", action="append", required=True, help="LISTEN=TARGET/plain|starttls")
    parser.add_argument("--seed", default="1")
    parser.add_argument("--fault-rate", type=float, default=0.5, help="share of connections with a fault")
    parser.add_argument("--span-up", type=int, default=20000, help="offsets up are drawn below this")
    parser.add_argument("--span-down", type=int, default=2000, help="offsets down are drawn below this")
    parser.add_argument("--stall", type=float, default=2.0, help="seconds a stall lasts before the reset")
    parser.add_argument("--log", help="file to append one JSON line per connection to")
    parser.add_argument("--plan", type=parse_plan, help="FAULT:DIRECTION:OFFSET for every connection (to reproduce one)")
    parser.add_argument("--hide-chunking", action="store_true", help="with --plan: the DATA path")
    try:
        asyncio.run(serve(parser.parse_args()))
    except KeyboardInterrupt:
        sys.exit(0)


if __name__ == "__main__":
    main()
