#!/usr/bin/python3
"""Verifies every DKIM-Signature of a message with dkimpy (Debian's python3-dkim),
an implementation independent of smtpx, against the public keys given on the
command line instead of DNS, or served by a test nameserver (dnspython). Usage:
verify_dkim.py MESSAGE SELECTOR=TXT...  or  verify_dkim.py MESSAGE @IP:PORT ;
prints one line per signature: "d=... s=... a=... ok|FAIL"."""
import sys

import dkim


def main() -> None:
    raw = open(sys.argv[1], "rb").read()
    # A maildir copy has LF line ends; DKIM hashes the CRLF form the server received.
    message = raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    if sys.argv[2:3] and sys.argv[2].startswith("@"):
        import dns.resolver

        resolver = dns.resolver.Resolver(configure=False)
        host, port = sys.argv[2][1:].rsplit(":", 1)
        resolver.nameservers, resolver.port = [host], int(port)

        def dns(name, timeout=5):
            try:
                answer = resolver.resolve(name.decode(), "TXT", lifetime=timeout)
            except Exception:  # NXDOMAIN, no answer: dkimpy reads b"" as "no key"
                return b""
            return b"".join(next(iter(answer)).strings)
    else:
        records = dict(arg.split("=", 1) for arg in sys.argv[2:])

        def dns(name, timeout=5):
            selector = name.decode().split("._domainkey.")[0]
            return records.get(selector, "").encode()

    headers = message.split(b"\r\n\r\n", 1)[0].lower()
    count = headers.count(b"\r\ndkim-signature:") + (1 if headers.startswith(b"dkim-signature:") else 0)
    for index in range(count):
        verifier = dkim.DKIM(message)
        try:
            ok = verifier.verify(idx=index, dnsfunc=dns)
        except dkim.DKIMException:  # a body hash mismatch is raised, not returned
            ok = False
        tags = verifier.signature_fields if hasattr(verifier, "signature_fields") else {}
        d = tags.get(b"d", b"?").decode()
        s = tags.get(b"s", b"?").decode()
        a = tags.get(b"a", b"?").decode()
        print(f"d={d} s={s} a={a} {'ok' if ok else 'FAIL'}")


if __name__ == "__main__":
    main()
