#!/usr/bin/python3
"""An SMTP server without PIPELINING or CHUNKING, for tests of the lock-step path.

aiosmtpd offers neither extension (it advertises SIZE, 8BITMIME, SMTPUTF8 and HELP), so a
client must wait for each reply. Every accepted message is saved in --dir as N.eml (the
bytes exactly as received after DATA, CRLF and dot-unstuffing applied) and N.json (the
envelope: mail_from, rcpt_tos, mail_options, rcpt_options). Recipients are refused like the
harness's Postfix does: local part starting with "reject" 550 5.1.1, "tempfail" 450 4.2.0,
plus every address given with --reject. Prints "ready PORT" on stdout once it accepts
connections, then serves until killed.
"""
import argparse
import json
import os
import signal
import sys
import threading

from aiosmtpd.controller import Controller


class Capture:
    def __init__(self, directory, rejected, data_reply):
        self.directory = directory
        self.rejected = {address.lower() for address in rejected}
        self.data_reply = data_reply
        self.count = 0
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = address.split("@", 1)[0].lower()
        if address.lower() in self.rejected or local.startswith("reject"):
            return "550 5.1.1 <%s>: test peer refuses this recipient" % address
        if local.startswith("tempfail"):
            return "450 4.2.0 <%s>: test peer defers this recipient" % address
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(rcpt_options)
        return "250 2.1.5 Ok"

    async def handle_DATA(self, server, session, envelope):
        if self.data_reply:
            return self.data_reply
        with self.lock:
            self.count += 1
            number = self.count
        base = os.path.join(self.directory, "%d" % number)
        with open(base + ".eml.tmp", "wb") as raw:
            raw.write(envelope.original_content)
        with open(base + ".json", "w", encoding="utf-8") as meta:
            json.dump(
                {
                    "mail_from": envelope.mail_from,
                    "rcpt_tos": envelope.rcpt_tos,
                    "mail_options": envelope.mail_options,
                    "rcpt_options": envelope.rcpt_options,
                },
                meta,
            )
        # The .eml appears last and whole, so a reader polling for it never sees half a file.
        os.rename(base + ".eml.tmp", base + ".eml")
        return "250 2.0.0 Ok: saved as %d" % number


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--dir", required=True)
    parser.add_argument("--reject", action="append", default=[], help="address to refuse at RCPT")
    parser.add_argument("--data-reply", default="", help="reply to every DATA instead of saving")
    parser.add_argument("--size", type=int, default=33554432, help="SIZE limit in bytes")
    parser.add_argument("--no-smtputf8", action="store_true")
    args = parser.parse_args()

    os.makedirs(args.dir, exist_ok=True)
    controller = Controller(
        Capture(args.dir, args.reject, args.data_reply),
        hostname="127.0.0.1",
        port=args.port,
        ready_timeout=10,
        server_hostname="aiosmtpd.smtpx.test",
        decode_data=False,
        enable_SMTPUTF8=not args.no_smtputf8,
        data_size_limit=args.size,
    )
    controller.start()
    print("ready %d" % args.port, flush=True)

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    while not stop.wait(1):
        pass
    controller.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
