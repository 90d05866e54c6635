#!/usr/bin/python3
"""Parses one message from stdin with Python's email package (policy default) and prints
what a test compares as JSON: an independent reading of what smtpx composed. describe(raw)
gives the same reading to a Python caller (tests/peers/api_server.py).

  headers          lower-cased name => list of decoded values, in order
  subject          decoded Subject, or null
  from, to, cc,    lists of {"name": display name, "address": addr-spec}, decoded
  bcc, reply_to
  text, html       the body the package picks for plain and for HTML (get_body), or null
  attachments      every other leaf part: name, type, disposition, content_id (without
                   angle brackets), size and sha256 of the decoded bytes
  defects          the parser's complaints about the message, as strings (should be [])
  raw_has_bare_lf  a LF not preceded by CR anywhere in the input
  raw_has_bare_cr  a CR not followed by LF anywhere in the input
  max_line_length  longest line in octets, without its line ending

Note: Postfix's maildir copies end lines with a bare LF (Unix format) and add Return-Path,
Delivered-To and Received; judge line endings on bytes taken before delivery.
"""
import email
import email.policy
import hashlib
import json
import re
import sys


def addresses(message, name):
    header = message.get(name)
    if header is None:
        return []
    return [{"name": a.display_name, "address": a.addr_spec} for a in header.addresses]


def body_text(part):
    if part is None:
        return None
    return part.get_content()


def describe(raw):
    """The reading of one raw message (bytes) described above, as a dict."""
    message = email.message_from_bytes(raw, policy=email.policy.default)

    headers = {}
    for name, value in message.items():
        headers.setdefault(name.lower(), []).append(str(value))

    text_part = message.get_body(preferencelist=("plain",))
    html_part = message.get_body(preferencelist=("html",))
    bodies = {id(p) for p in (text_part, html_part) if p is not None}

    attachments = []
    defects = [repr(d) for d in message.defects]
    for part in message.walk():
        defects.extend(repr(d) for d in part.defects if part is not message)
        if part.is_multipart() or id(part) in bodies:
            continue
        payload = part.get_payload(decode=True) or b""
        content_id = part.get("Content-ID")
        attachments.append(
            {
                "name": part.get_filename(),
                "type": part.get_content_type(),
                "disposition": part.get_content_disposition(),
                "content_id": str(content_id).strip().strip("<>") if content_id else None,
                "size": len(payload),
                "sha256": hashlib.sha256(payload).hexdigest(),
            }
        )

    subject = message.get("Subject")
    return {
        "headers": headers,
        "subject": str(subject) if subject is not None else None,
        "from": addresses(message, "From"),
        "to": addresses(message, "To"),
        "cc": addresses(message, "Cc"),
        "bcc": addresses(message, "Bcc"),
        "reply_to": addresses(message, "Reply-To"),
        "text": body_text(text_part),
        "html": body_text(html_part),
        "attachments": attachments,
        "defects": defects,
        "raw_has_bare_lf": re.search(rb"(?<!\r)\n", raw) is not None,
        "raw_has_bare_cr": re.search(rb"\r(?!\n)", raw) is not None,
        "max_line_length": max((len(line) for line in re.split(rb"\r?\n", raw)), default=0),
    }


def main():
    json.dump(describe(sys.stdin.buffer.read()), sys.stdout, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
