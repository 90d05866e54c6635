#!/usr/bin/python3
"""blackhole.py: a loopback port that drops connection attempts, like a firewalled 587.

    blackhole.py --listen 127.0.0.1:12599

A listening socket whose accept queue (backlog 0) is already full, and is never accepted
from: the kernel drops every further SYN, so a client sees no answer and no refusal until
its own timeout, exactly as behind `iptables -j DROP`, without touching the firewall.
Prints "listening HOST:PORT" once the queue is full; runs until SIGTERM or SIGINT.
"""
import argparse
import signal
import socket


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--listen", required=True, help="HOST:PORT")
    host, _, port = parser.parse_args().listen.rpartition(":")
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((host, int(port)))
    listener.listen(0)
    # One connection that nobody accepts fills a backlog of 0.
    filler = socket.create_connection(listener.getsockname())
    print("listening %s:%d" % listener.getsockname(), flush=True)
    # SIGTERM ends it even when started with the signal ignored; the sockets close on exit.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    while True:
        signal.pause()


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        pass
