#!/usr/bin/python3
"""Property tests of smtpx's MIME encoders against Python's own decoders.

Each random input goes through tests/core/mime_tool (built by tests/core/CMakeLists.txt)
and the result is decoded with quopri, binascii, base64, email.header and the email
package (policy default), which must give back the input exactly; the encoded form must
also keep the line limits of RFC 2045, RFC 2047 and RFC 5322. Multi-byte UTF-8 is
placed at every offset so that every line or word boundary falls inside a character.

Usage: tests/core/mime_property_test.py [path/to/mime_tool] [--seed N] [--cases N]
"""

import argparse
import base64
import binascii
import email
import email.header
import email.policy
import quopri
import random
import re
import subprocess
import sys

CHARACTERS = ["a", "Z", "0", " ", "\t", "=", ".", "_", "?", ",", '"', "\\", "(", ")", "<", ">", "@",
              ";", ":", "'", "%", "*", "é", "ß", "€", "中", "😀", "\u00a0"]
LINE_BREAKS = ["\n", "\r\n", "\r"]


class Tool:
    """One mime_tool process answering every record of a batch."""

    def __init__(self, path):
        self.path = path

    def run(self, records):
        request = b"".join(
            f"{mode} {argument} {len(data)}\n".encode() + data for mode, argument, data in records)
        done = subprocess.run([self.path], input=request, capture_output=True, check=True, timeout=300)
        out, results = done.stdout, []
        while out:
            length, _, out = out.partition(b"\n")
            results.append(out[:int(length)])
            out = out[int(length):]
        assert len(results) == len(records), "mime_tool answered fewer records than asked"
        return results


class Checker:
    def __init__(self):
        self.failures = []
        self.checked = 0

    def expect(self, condition, what, data):
        self.checked += 1
        if not condition and len(self.failures) < 20:
            self.failures.append(f"{what}: input {data!r}")


def random_text(rng, size, breaks=True, controls=False):
    pieces = []
    for _ in range(size):
        roll = rng.random()
        if breaks and roll < 0.05:
            pieces.append(rng.choice(LINE_BREAKS))
        elif controls and roll < 0.08:
            pieces.append(chr(rng.randrange(0, 32)))
        else:
            pieces.append(rng.choice(CHARACTERS))
    return "".join(pieces)


def every_offset(character, width=80):
    """A multi-byte character after 0..width ASCII letters, then more of it."""
    return [("x" * k + character * 3 + " tail") for k in range(width)]


def lines_of(encoded):
    return encoded.split(b"\r\n")


def check_quoted_printable(tool, check, rng, cases):
    texts = [random_text(rng, rng.randrange(0, 300), controls=True) for _ in range(cases)]
    texts += [rng.choice(["", " ", "."]) + "a" * rng.randrange(60, 160) for _ in range(cases // 4)]
    for character in ["é", "€", "😀"]:
        texts += every_offset(character)
    records = [("qp", "", t.encode()) for t in texts]
    records += [("qp-pieces", str(rng.randrange(1, 9)), t.encode()) for t in texts]
    for (_, _, data), encoded in zip(records, tool.run(records)):
        normalized = re.sub(rb"\r\n|\r|\n", b"\r\n", data)
        check.expect(quopri.decodestring(encoded) == normalized, "quopri decodes qp", data)
        check.expect(binascii.a2b_qp(encoded) == normalized, "binascii decodes qp", data)
        for line in lines_of(encoded):
            check.expect(len(line) <= 76, "qp line within 76", data)
            check.expect(not line.endswith((b" ", b"\t")), "qp line without trailing white space", data)
            check.expect(not line.startswith(b"."), "qp line not starting with a dot", data)
            check.expect(all(32 <= b < 127 or b == 9 for b in line), "qp line printable", data)
        check.expect(b"\r" not in encoded.replace(b"\r\n", b""), "qp has no bare CR", data)
        check.expect(b"\n" not in encoded.replace(b"\r\n", b""), "qp has no bare LF", data)


def check_base64(tool, check, rng, cases):
    blobs = [bytes(rng.randrange(256) for _ in range(rng.randrange(0, 400))) for _ in range(cases)]
    records = [("base64", "", b) for b in blobs] + [("base64-lines", "", b) for b in blobs]
    records += [("base64-pieces", str(rng.randrange(1, 100)), b) for b in blobs]
    results = tool.run(records)
    for (mode, _, data), encoded in zip(records, results):
        check.expect(base64.b64decode(encoded.replace(b"\r\n", b""), validate=True) == data,
                     f"base64 decodes {mode}", data)
        if mode == "base64":
            check.expect(encoded == base64.b64encode(data), "base64 equals Python's", data)
        else:
            check.expect(encoded == base64.encodebytes(data).replace(b"\n", b"\r\n"),
                         f"{mode} equals Python's encodebytes with CRLF", data)


def check_encoded_words(tool, check, rng, cases):
    # Readers drop white space around an unstructured value, so none is generated there.
    texts = [random_text(rng, rng.randrange(1, 120), breaks=False, controls=True).strip(" \t") or "w"
             for _ in range(cases)]
    for character in ["é", "€", "😀", "\u00a0"]:
        texts += every_offset(character)
    records = [("words", str(rng.choice([0, 9, 10, 30, 70])), t.encode()) for t in texts]
    for (_, indent, data), encoded in zip(records, tool.run(records)):
        text = data.decode()
        decoded = str(email.header.make_header(email.header.decode_header(encoded.decode())))
        check.expect(decoded == text, "email.header decodes the words", data)
        parsed = email.message_from_bytes(b"Subject: " + encoded + b"\r\n\r\n", policy=email.policy.default)
        check.expect(parsed["subject"] == text, "email policy default reads the subject", data)
        words = encoded.split(b" ")
        if encoded != data:
            for n, word in enumerate(words):
                check.expect(len(word) <= 75, "encoded word within 75", data)
                check.expect(word.startswith(b"=?UTF-8?") and word.endswith(b"?="), "every word encoded", data)
                payload = email.header.decode_header(word.decode())[0][0]
                if isinstance(payload, str):
                    continue
                try:
                    payload.decode("utf-8")
                    whole = True
                except UnicodeDecodeError:
                    whole = False
                check.expect(whole, "no word splits a UTF-8 sequence", data)
                if n == 0 and int(indent) + len(word) > 76:
                    check.expect(int(indent) > 76 - 20, "first word fits after the indent", data)


def check_display_names(tool, check, rng, cases):
    names = [random_text(rng, rng.randrange(1, 60), breaks=False).strip(" \t") or "n" for _ in range(cases)]
    names = [re.sub(r"\s{2,}", " ", n.replace("\t", " ")) for n in names]  # readers normalize white space
    names += ["Doe, John", 'a "quoted" name', "back\\slash", "Jörg Müller", "=?UTF-8?Q?x?="]
    records = [("display", "", n.encode()) for n in names]
    for (_, _, data), encoded in zip(records, tool.run(records)):
        header = b"To: " + encoded + b" <user@example.com>\r\n\r\n"
        parsed = email.message_from_bytes(header, policy=email.policy.default)
        address = parsed["to"].addresses[0]
        check.expect(address.addr_spec == "user@example.com", "email reads the address", data)
        if encoded.startswith(b"=?"):
            decoded = str(email.header.make_header(email.header.decode_header(encoded.decode())))
            check.expect(decoded == data.decode(), "email.header decodes the display name", data)
        # Python before 3.14 keeps the white space between two encoded words in a
        # phrase (CPython gh-128110, against RFC 2047 6.2), so its address parser
        # is the judge only of names that fit one word, which is all but the longest.
        if b"?= =?" not in encoded:
            check.expect(address.display_name == data.decode(), "email reads the display name", data)


def check_folding(tool, check, rng, cases):
    values = []
    for _ in range(cases):
        words = ["w" * rng.randrange(1, 30) for _ in range(rng.randrange(1, 40))]
        values.append("".join(rng.choice([" ", "  ", "\t"]) + w for w in words).lstrip())
    values += ["x" * 200 + " tail", "a" * 70 + "        "]
    records = [("fold", "X-Test", v.encode()) for v in values]
    for (_, name, data), folded in zip(records, tool.run(records)):
        check.expect(folded.endswith(b"\r\n"), "folded header ends with CRLF", data)
        unfolded = re.sub(rb"\r\n(?=[ \t])", b"", folded[:-2])
        check.expect(unfolded == name.encode() + b": " + data, "unfolding restores the value", data)
        for line in lines_of(folded[:-2]):
            check.expect(line.strip(b" \t") != b"", "no line of only white space", data)
            longest_word = max(len(w) for w in re.split(rb"[ \t]", line) if w) if line.strip() else 0
            check.expect(len(line) <= 78 or longest_word > 78 - len(name) - 3,
                         "folded line within 78 unless a word is longer", data)


def check_parameters(tool, check, rng, cases):
    names = [random_text(rng, rng.randrange(1, 150), breaks=False).strip() or "f" for _ in range(cases)]
    # get_filename() unquotes a name that starts and ends with quotes or angle brackets.
    names = ["f" + n if (n[0], n[-1]) in [('"', '"'), ("<", ">")] else n for n in names]
    for character in ["é", "€", "😀"]:
        names += [n + ".pdf" for n in every_offset(character, 70)]
    records = [("param", "filename", n.encode()) for n in names]
    for (_, _, data), encoded in zip(records, tool.run(records)):
        header = b"Content-Disposition: attachment; " + encoded + b"\r\n\r\n"
        parsed = email.message_from_bytes(header, policy=email.policy.default)
        check.expect(parsed.get_filename() == data.decode(), "email reads the RFC 2231 file name", data)


def check_messages(tool, check, rng, cases):
    records = []
    for _ in range(cases // 4):
        subject = random_text(rng, rng.randrange(1, 100), breaks=False).strip(" \t") or "s"
        name = re.sub(r"\s+", " ", random_text(rng, rng.randrange(1, 15), breaks=False)).strip() or "n"
        text = random_text(rng, rng.randrange(0, 400)) + rng.choice(["", "x" * 1200])
        html = rng.choice(["", "<p>" + random_text(rng, rng.randrange(0, 200)) + "</p>"])
        attachment = rng.choice(["", "f\u00e9 " + random_text(rng, 10, breaks=False).strip() + ".bin"])
        data = bytes(rng.randrange(256) for _ in range(rng.randrange(0, 300)))
        fields = "\0".join([subject, name, text, html, attachment]).encode() + b"\0" + data
        records.append(("message", rng.choice(["7bit", "8bit"]), fields))
    for (_, mode, fields), raw in zip(records, tool.run(records)):
        subject, name, text, html, attachment, data = fields.split(b"\0", 5)
        check.expect(b"\r" not in raw.replace(b"\r\n", b"") and b"\n" not in raw.replace(b"\r\n", b""),
                     "message lines end in CRLF", fields)
        check.expect(all(len(line) <= 998 for line in raw.split(b"\r\n")), "message lines within 998", fields)
        check.expect(mode == "8bit" or max(raw, default=0) < 128, "7bit message is ASCII", fields)
        message = email.message_from_bytes(raw, policy=email.policy.default)
        check.expect(not message.defects, "message parses without defects", fields)
        check.expect(message["subject"] == subject.decode(), "message subject", fields)
        check.expect(message["from"].addresses[0].display_name == name.decode(), "message From name", fields)
        parts = {p.get_content_type(): p for p in message.walk() if not p.is_multipart()}
        crlf = re.sub(r"\r\n|\r|\n", "\r\n", text.decode())
        got = parts["text/plain"].get_content()
        single = not html and not attachment
        check.expect(got == crlf or (single and got == crlf + "\r\n"), "message text", fields)
        if html:
            got = parts["text/html"].get_content()
            check.expect(got == re.sub(r"\r\n|\r|\n", "\r\n", html.decode()), "message html", fields)
        if attachment:
            part = parts["application/octet-stream"]
            check.expect(part.get_filename() == attachment.decode(), "attachment name", fields)
            check.expect(part.get_content() == data, "attachment bytes", fields)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("tool", nargs="?", default="build/core-tests/mime_tool")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--cases", type=int, default=400)
    options = parser.parse_args()
    tool, check, rng = Tool(options.tool), Checker(), random.Random(options.seed)
    for name, run in [("quoted-printable", check_quoted_printable), ("base64", check_base64),
                      ("encoded words", check_encoded_words), ("display names", check_display_names),
                      ("folding", check_folding), ("RFC 2231 parameters", check_parameters),
                      ("whole messages", check_messages)]:
        before = check.checked
        run(tool, check, rng, options.cases)
        print(f"{name}: {check.checked - before} checks")
    for failure in check.failures:
        print("FAIL", failure)
    print(f"{check.checked} checks, {len(check.failures)} failures shown")
    return 1 if check.failures else 0


if __name__ == "__main__":
    sys.exit(main())
