#!/usr/bin/python3
"""The submission server of the network-namespace tests when they need TLS
(tests/peers/netns-start NAME OCTET tls): STARTTLS required on 587 and 2525,
implicit TLS on 465, AUTH PLAIN/LOGIN only inside TLS for user "alice" with
password "wonderland-42", and every message accepted and dropped.

Appends one line per event to --log: "auth PORT USER ok|failed" and
"message PORT", so a test can tell which port carried the credentials and the mail. Prints "ready" once
every port listens, then serves until killed.
"""
import argparse
import signal
import ssl
import sys
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

USER, PASSWORD = b"alice", b"wonderland-42"


class Events:
    def __init__(self, path):
        self.path = path
        self.lock = threading.Lock()

    def write(self, line):
        with self.lock, open(self.path, "a", encoding="utf-8") as log:
            log.write(line + "\n")


class Accept:
    def __init__(self, events, port):
        self.events = events
        self.port = port

    async def handle_DATA(self, server, session, envelope):
        self.events.write("message %d" % self.port)
        return "250 2.0.0 Ok: accepted"


def authenticator(events, port):
    def check(server, session, envelope, mechanism, data):
        ok = isinstance(data, LoginPassword) and data.login == USER and data.password == PASSWORD
        login = data.login.decode("utf-8", "replace") if isinstance(data, LoginPassword) else "?"
        events.write("auth %d %s %s" % (port, login, "ok" if ok else "failed"))
        return AuthResult(success=ok)

    return check


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", required=True)
    parser.add_argument("--certfile", required=True)
    parser.add_argument("--keyfile", required=True)
    parser.add_argument("--log", required=True)
    args = parser.parse_args()

    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(args.certfile, args.keyfile)
    events = Events(args.log)
    common = dict(hostname=args.host, server_hostname="netns.smtpx.test", auth_require_tls=True)
    controllers = [
        Controller(Accept(events, port), port=port, tls_context=context, require_starttls=True,
                   authenticator=authenticator(events, port), **common)
        for port in (587, 2525)
    ]
    # aiosmtpd counts only STARTTLS as TLS; on 465 every byte is inside TLS already.
    implicit = dict(common, auth_require_tls=False)
    controllers.append(Controller(Accept(events, 465), port=465, ssl_context=context,
                                  authenticator=authenticator(events, 465), **implicit))
    for controller in controllers:
        controller.start()
    print("ready", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    stop.wait()
    for controller in controllers:
        controller.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
