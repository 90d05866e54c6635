#!/usr/bin/python3
"""Verifies every DKIM-Signature of a message with dkimpy (Debian's python3-dkim),
an implementation independent of smtpx, with the keys a nameserver serves (the
harness's NSD, or a WordPress test's own dns_server.py), asked through dnspython.
Usage: verify_dkim.py MESSAGE @IP:PORT ; prints one line per signature, top first:
"d=... s=... a=... ok|FAIL"."""
import sys

import dkim
import dns.resolver


def main() -> None:
    raw = open(sys.argv[1], "rb").read()
    # A maildir copy has LF line ends; DKIM hashes the CRLF form the server received.
    message = raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    resolver = dns.resolver.Resolver(configure=False)
    host, port = sys.argv[2].lstrip("@").rsplit(":", 1)
    resolver.nameservers, resolver.port = [host], int(port)

    def txt(name, timeout=5):
        try:
            answer = resolver.resolve(name.decode().rstrip("."), "TXT", lifetime=timeout)
        except dns.exception.DNSException:  # NXDOMAIN, no answer: dkimpy reads b"" as "no key"
            return b""
        return b"".join(next(iter(answer)).strings)

    headers = message.split(b"\r\n\r\n", 1)[0].lower()
    count = headers.count(b"\r\ndkim-signature:") + (1 if headers.startswith(b"dkim-signature:") else 0)
    for index in range(count):
        verifier = dkim.DKIM(message)
        try:
            ok = verifier.verify(idx=index, dnsfunc=txt)
        except dkim.DKIMException:  # a body hash mismatch is raised, not returned
            ok = False
        tags = verifier.signature_fields if hasattr(verifier, "signature_fields") else {}
        d = tags.get(b"d", b"?").decode()
        s = tags.get(b"s", b"?").decode()
        a = tags.get(b"a", b"?").decode()
        print(f"d={d} s={s} a={a} {'ok' if ok else 'FAIL'}")


if __name__ == "__main__":
    main()
