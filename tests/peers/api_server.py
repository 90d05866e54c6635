#!/usr/bin/python3
"""The HTTPS test peer of the API transports: one server that answers as SendGrid, Mailgun,
Amazon SES v2, Postmark and Brevo answer on their send endpoints, as each API reference
documents them (authentication, request format, success body, error bodies), so the client
can be tested without the providers. Python's standard library only.

Usage: api_server.py PORT LOG [--host 127.0.0.1] [--certfile F --keyfile F] [--plain]
  Certificates default to server.pem/server.key in $SMTPX_PEERS_DIR (/tmp/smtpx-peers), the
  harness CA's certificate for localhost/127.0.0.1/::1. --plain serves http (a test that the
  client refuses a plain endpoint). HTTP/1.1 with keep-alive and exact Content-Length; request
  bodies by Content-Length or chunked; "Expect: 100-continue" is answered.

Accepted credentials (anything else is refused the way the provider refuses it):
  SendGrid  POST /v3/mail/send                  Authorization: Bearer SG.test-key
  Mailgun   POST /v3/mg.example.com/messages.mime  Basic api:mg-test-key (multipart: to, message file)
  SES v2    POST /v2/email/outbound-emails      SigV4, access key AKIDTEST, secret ses-test-secret,
                                                region eu-west-1 (or the one in an
                                                email.REGION.amazonaws.com Host), service ses
  Postmark  POST /email                         X-Postmark-Server-Token: pm-test-token
  Brevo     POST /v3/smtp/email                 api-key: xkeysib-test
Size limits (413 before authentication, as a front end refuses): SendGrid 30 MiB, Postmark
10 MiB, Mailgun 25 MiB; SES refuses a raw message over 40 MiB with MessageRejected. The
references say "30 MB", "10 MB", "25 MB", "40 MB": a client should keep under the decimal value.

Fault injection, POST /_control with a JSON object (answered {"queued": N}):
  {"reset": true}                 forget every queued behaviour
  {"next": [BEHAVIOUR, ...]}      queue behaviours; each provider request takes the first one
                                  that matches it, in order, and uses it up
  BEHAVIOUR keys (all optional):
    provider: "sendgrid"|...      match only this provider's requests
    contains: "needle"            match only requests whose body contains this text (tests run in
                                  parallel: a unique Message-ID or subject keeps a script yours)
    status: 400|401|413|429|500|...  answer with the provider's own error body for this status,
                                  without authenticating or accepting the message
    retry_after: 7 or "HTTP-date" Retry-After header on that answer
    body, content_type, headers   replace the error body, add headers
    delay: seconds                wait before answering (at most 30)
    hang: true                    read the request, never answer: hold the connection until the
                                  client gives up (at most 30 s), then close it
    close_after_request: true     read the request, close the connection without an answer
  GET /_control lists the queue.

The log: every provider request, answered or not, appends one JSON line to LOG before its
answer goes out: seq (0-based line number), time, provider, method, path, query,
http_version, connection (a number per TCP connection) and request_on_connection (1, 2, ...:
keep-alive shows as one connection with several requests), headers (lower-cased names; API
keys, passwords and signatures as "***", the Authorization scheme and SigV4 scope kept),
body_size, status (null when no answer was sent), accepted (true for the provider's success
answer), behaviour (the scripted one or null), error (why a
request was refused, for SES the canonical request and string to sign the server computed),
message_id, and fields: what the provider read from the request:
  JSON APIs: the decoded JSON, every base64 attachment content (and SES Content.Raw.Data)
    replaced by {"size", "sha256", "valid_base64"} of its decoded bytes;
  raw MIME (Mailgun's message file, SES's Content.Raw.Data): "mime", the reading of
    tests/peers/parse_email.py (headers, subject, addresses, text, html, attachments,
    defects, line checks), with "raw_size", "raw_sha256" and "raw_base64" (null over 256 KiB).
GET /_log?since=N answers {"count": lines in the log, "entries": [lines N and later]}.
"""
import argparse
import base64
import binascii
import datetime
import email.message
import email.parser
import email.policy
import hashlib
import hmac
import http.server
import json
import os
import re
import select
import socket
import ssl
import sys
import threading
import time
import urllib.parse
import uuid

# The shared parser sits beside this file; its bytecode would litter the work tree.
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from parse_email import describe  # noqa: E402  (the one reading of a raw message)
from peer_state import BehaviourQueue, Journal  # noqa: E402

SENDGRID_KEY = "SG.test-key"
MAILGUN_KEY = "mg-test-key"
MAILGUN_DOMAIN = "mg.example.com"
SES_ACCESS_KEY = "AKIDTEST"
SES_SECRET = "ses-test-secret"
SES_REGION = "eu-west-1"
POSTMARK_TOKEN = "pm-test-token"
BREVO_KEY = "xkeysib-test"

MIB = 1024 * 1024
SENDGRID_MAX_BODY = 30 * MIB
POSTMARK_MAX_BODY = 10 * MIB
MAILGUN_MAX_BODY = 25 * MIB
SES_MAX_RAW = 40 * MIB
# Past this the peer does not read a body at all: 413 and the connection is closed.
READ_MAX_BODY = 100 * MIB
RAW_LOGGED_MAX = 256 * 1024
LONGEST_WAIT = 30.0
# nginx's default keepalive_timeout: how long an idle kept connection stays open.
IDLE_TIMEOUT = 75.0
# AWS refuses a signature whose X-Amz-Date is further than this from its clock.
SES_CLOCK_SKEW = datetime.timedelta(minutes=15)

SECRET_HEADERS = {"authorization", "x-postmark-server-token", "api-key"}
BEHAVIOUR_KEYS = {"provider", "contains", "status", "retry_after", "body", "content_type",
                  "headers", "delay", "hang", "close_after_request"}


def redacted(name, value):
    """A header value fit for the log: secrets as "***", the scheme and the SigV4 scope kept,
    so a test can still see how the client authenticated."""
    if name.lower() not in SECRET_HEADERS:
        return value
    if name.lower() != "authorization":
        return "***"
    if value.startswith("AWS4-HMAC-SHA256 "):
        value = re.sub(r"Credential=[^/,\s]*", "Credential=***", value)
        return re.sub(r"Signature=[0-9a-fA-F]*", "Signature=***", value)
    scheme, _, secret = value.partition(" ")
    return scheme + " ***" if secret else "***"


class Reply:
    def __init__(self, status, body=b"", content_type="application/json", headers=None,
                 message_id=None, error=None):
        self.status = status
        self.body = body
        self.content_type = content_type
        self.headers = dict(headers or {})
        self.message_id = message_id
        self.error = error


def json_reply(status, document, **kwargs):
    body = json.dumps(document, separators=(",", ":")).encode()
    return Reply(status, body, "application/json; charset=utf-8", **kwargs)


class Refused(Exception):
    """A request the provider answers with an error; carries that answer."""

    def __init__(self, reply):
        super().__init__(reply.status)
        self.reply = reply


class ProviderRequest:
    def __init__(self, handler, provider, path, query, body):
        self.provider = provider
        self.method = handler.command
        self.path = path
        self.query = query
        self.body = body
        self.headers = handler.headers
        self.http_version = handler.request_version

    def header(self, name):
        return self.headers.get(name)

    def json_body(self, invalid):
        try:
            document = json.loads(self.body)
        except (UnicodeDecodeError, ValueError):
            raise Refused(invalid) from None
        if not isinstance(document, dict):
            raise Refused(invalid)
        return document


# --- what arrived, summarised for the log ---------------------------------------------

def decoded_base64(value):
    """The bytes of a strict base64 string (no line breaks, as JSON APIs want), or None."""
    if not isinstance(value, str):
        return None
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return None


def base64_summary(value):
    data = decoded_base64(value)
    if data is None:
        return {"size": None, "sha256": None, "valid_base64": False}
    return {"size": len(data), "sha256": hashlib.sha256(data).hexdigest(), "valid_base64": True}


def summarised_contents(document, list_key, content_key):
    """A copy of document whose attachments carry a summary instead of their base64 text."""
    items = document.get(list_key)
    if not isinstance(items, list):
        return document
    copy = dict(document)
    copy[list_key] = [
        dict(item, **{content_key: base64_summary(item.get(content_key))})
        if isinstance(item, dict) and content_key in item else item
        for item in items
    ]
    return copy


def raw_mime_fields(raw):
    return {
        "mime": describe(raw),
        "raw_size": len(raw),
        "raw_sha256": hashlib.sha256(raw).hexdigest(),
        "raw_base64": base64.b64encode(raw).decode() if len(raw) <= RAW_LOGGED_MAX else None,
    }


def addresses_in(value):
    """Addresses in a comma-separated header-style list ("A <a@x>, b@y")."""
    if not isinstance(value, str) or not value.strip():
        return []
    parsed = email.parser.HeaderParser(policy=email.policy.default).parsestr("To: %s\n\n" % value)
    return [a.addr_spec for a in parsed["To"].addresses]


# --- SendGrid v3 /v3/mail/send ----------------------------------------------------------

# SendGrid sets these itself and refuses them in "headers".
SENDGRID_RESERVED_HEADERS = {"x-sg-id", "x-sg-eid", "received", "dkim-signature", "content-type",
                             "content-transfer-encoding", "to", "from", "subject", "reply-to",
                             "cc", "bcc"}
# The 413 comes from SendGrid's nginx front end, as HTML, not from the API.
NGINX_413 = (b"<html>\r\n<head><title>413 Request Entity Too Large</title></head>\r\n<body>\r\n"
             b"<center><h1>413 Request Entity Too Large</h1></center>\r\n<hr><center>nginx"
             b"</center>\r\n</body>\r\n</html>\r\n")


def sendgrid_error(status, *problems):
    errors = [{"message": message, "field": field, "help": None} for field, message in problems]
    return json_reply(status, {"errors": errors})


def sendgrid_error_reply(status):
    if status == 413:
        return Reply(413, NGINX_413, "text/html")
    messages = {400: "Bad Request", 401: "The provided authorization grant is invalid, expired, or revoked",
                403: "access forbidden", 429: "too many requests", 500: "internal server error",
                503: "service unavailable"}
    return sendgrid_error(status, (None, messages.get(status, "error")))


def sendgrid_address_problems(value, field):
    if not isinstance(value, dict) or not isinstance(value.get("email"), str) or "@" not in value["email"]:
        return [(field, "Each email address must be an object with a valid email parameter.")]
    return []


def sendgrid_problems(mail):
    problems = []
    personalizations = mail.get("personalizations")
    if not isinstance(personalizations, list) or not personalizations:
        problems.append(("personalizations", "The personalizations field is required and needs at least one entry."))
        personalizations = []
    for i, personalization in enumerate(personalizations):
        recipients = personalization.get("to") if isinstance(personalization, dict) else None
        if not isinstance(recipients, list) or not recipients:
            problems.append(("personalizations.%d.to" % i,
                             "Every personalization needs a to array with at least one valid email object."))
            continue
        for kind in ("to", "cc", "bcc"):
            for j, address in enumerate(personalization.get(kind) or []):
                problems += sendgrid_address_problems(address, "personalizations.%d.%s.%d.email" % (i, kind, j))
    problems += sendgrid_address_problems(mail.get("from"), "from.email")
    if "reply_to" in mail:
        problems += sendgrid_address_problems(mail["reply_to"], "reply_to.email")
    templated = "template_id" in mail
    every_subject = personalizations and all(isinstance(p, dict) and p.get("subject") for p in personalizations)
    if not templated and not mail.get("subject") and not every_subject:
        problems.append(("subject", "The subject is required, unless a template or every personalization gives one."))
    contents = mail.get("content")
    if not templated and (not isinstance(contents, list) or not contents):
        problems.append(("content", "Without a template_id, content needs at least one block."))
    for i, content in enumerate(contents if isinstance(contents, list) else []):
        if not isinstance(content, dict) or not content.get("type") or not isinstance(content.get("value"), str) \
                or not content["value"]:
            problems.append(("content.%d" % i, "Each content block needs a type and a non-empty value."))
        elif content["type"] == "text/plain" and i != 0:
            problems.append(("content", "text/plain must come first, then text/html, then other types."))
    for i, attachment in enumerate(mail.get("attachments") or []):
        if not isinstance(attachment, dict) or decoded_base64(attachment.get("content")) is None:
            problems.append(("attachments.%d.content" % i, "The attachment content must be base64 encoded."))
        elif not attachment.get("filename"):
            problems.append(("attachments.%d.filename" % i, "The attachment filename parameter is required."))
        elif attachment.get("disposition", "attachment") not in ("attachment", "inline"):
            problems.append(("attachments.%d.disposition" % i, "The disposition must be inline or attachment."))
    headers = mail.get("headers") or {}
    if not isinstance(headers, dict) or not all(isinstance(v, str) for v in headers.values()):
        problems.append(("headers", "Headers must be an object of string values."))
    else:
        for name in headers:
            if name.lower() in SENDGRID_RESERVED_HEADERS:
                problems.append(("headers", "The header %s is reserved and cannot be set in headers." % name))
    return problems


def sendgrid(request):
    if len(request.body) > SENDGRID_MAX_BODY:
        raise Refused(sendgrid_error_reply(413))
    if request.header("Authorization") != "Bearer " + SENDGRID_KEY:
        raise Refused(sendgrid_error_reply(401))
    mail = request.json_body(sendgrid_error(400, (None, "The request body must be a JSON object.")))
    fields = summarised_contents(mail, "attachments", "content")
    problems = sendgrid_problems(mail)
    if problems:
        return sendgrid_error(400, *problems), fields
    message_id = base64.urlsafe_b64encode(os.urandom(16)).decode().rstrip("=")
    return Reply(202, b"", None, {"X-Message-Id": message_id}, message_id=message_id), fields


# --- Mailgun POST /v3/{domain}/messages.mime ---------------------------------------------

def mailgun_error_reply(status, message=None):
    if status == 401:
        return Reply(401, b"Forbidden", "text/plain")
    messages = {400: "Bad request", 404: "Not found", 413: "Request entity too large",
                429: "Too many requests", 500: "Internal server error"}
    return json_reply(status, {"message": message or messages.get(status, "error")})


def multipart_parts(content_type, body):
    """(name, filename, bytes) of each part of a multipart/form-data body, the bytes exactly as
    sent (RFC 2046 5.1.1: the CRLF before a delimiter belongs to the delimiter); None if the
    body is not one. The email package reads only the part headers: it would re-serialise a
    message/rfc822 part, and the raw message must be compared byte for byte."""
    header = email.message.Message()
    header["Content-Type"] = content_type
    boundary = header.get_param("boundary")
    if not boundary:
        return None
    delimiter = b"--" + boundary.encode("latin-1")
    pieces = (b"\r\n" + body).split(b"\r\n" + delimiter)
    if len(pieces) < 3 or not pieces[-1].startswith(b"--"):
        return None
    parts = []
    for piece in pieces[1:-1]:
        head, separator, content = piece.partition(b"\r\n\r\n")
        if not separator:
            return None
        headers = email.parser.BytesHeaderParser(policy=email.policy.HTTP).parsebytes(
            head.lstrip(b" \t\r\n") + b"\r\n\r\n")
        disposition = headers["Content-Disposition"]
        if disposition is None:
            return None
        parts.append((disposition.params.get("name"), disposition.params.get("filename"), content))
    return parts


def mailgun(request):
    domain = request.path.split("/")[2]
    if len(request.body) > MAILGUN_MAX_BODY:
        raise Refused(mailgun_error_reply(413, "Message size exceeds the 25 MB limit"))
    expected = "Basic " + base64.b64encode(("api:" + MAILGUN_KEY).encode()).decode()
    if request.header("Authorization") != expected:
        raise Refused(mailgun_error_reply(401))
    if domain != MAILGUN_DOMAIN:
        raise Refused(mailgun_error_reply(404, "Domain not found: " + domain))
    content_type = request.header("Content-Type") or ""
    parts = multipart_parts(content_type, request.body) if content_type.startswith("multipart/form-data") else None
    if parts is None:
        raise Refused(mailgun_error_reply(400, "The request must be multipart/form-data with the message as a file"))
    recipients = [a for name, _, value in parts if name == "to"
                  for a in value.decode("utf-8", "replace").split(",") if a.strip()]
    messages = [(filename, value) for name, filename, value in parts if name == "message"]
    options = {}
    for name, _, value in parts:
        if name not in ("to", "message"):
            options.setdefault(name, []).append(value.decode("utf-8", "replace"))
    fields = {"to": [r.strip() for r in recipients], "options": options}
    if messages:
        fields.update(raw_mime_fields(messages[0][1]), message_filename=messages[0][0])
    if not recipients:
        return mailgun_error_reply(400, "'to' parameter is missing"), fields
    if not messages:
        return mailgun_error_reply(400, "'message' parameter is missing"), fields
    if messages[0][0] is None:
        return mailgun_error_reply(400, "'message' parameter must be a file upload"), fields
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%d%H%M%S")
    message_id = "<%s.%s@%s>" % (stamp, uuid.uuid4().hex[:16], MAILGUN_DOMAIN)
    return json_reply(200, {"id": message_id, "message": "Queued. Thank you."}, message_id=message_id), fields


# --- Amazon SES v2 SendEmail (Content.Raw) with Signature Version 4 -----------------------

SES_ERROR_TYPES = {400: "BadRequestException", 403: "AccessDeniedException", 404: "NotFoundException",
                   413: "MessageRejected", 429: "TooManyRequestsException", 500: "InternalFailure",
                   503: "ServiceUnavailable"}
SES_ERROR_MESSAGES = {429: "Maximum sending rate exceeded.", 500: "Internal service failure.",
                      503: "Service unavailable."}
# Errors of AWS's authentication layer name their type with this suffix, SDKs cut at ':'.
AWS_AUTH_ERROR_SUFFIX = ":http://internal.amazon.com/coral/com.amazon.coral.service/"


def ses_error(status, error_type, message, error=None, suffix=""):
    headers = {"x-amzn-ErrorType": error_type + suffix, "x-amzn-RequestId": str(uuid.uuid4())}
    return json_reply(status, {"message": message}, headers=headers, error=error)


def ses_error_reply(status):
    return ses_error(status, SES_ERROR_TYPES.get(status, "InternalFailure"),
                     SES_ERROR_MESSAGES.get(status, "The request was refused."))


def ses_auth_error(error_type, message, error=None):
    return Refused(ses_error(403, error_type, message, error, AWS_AUTH_ERROR_SUFFIX))


def sigv4_canonical_request(request, signed_headers):
    """SigV4 task 1, from the request as it arrived (path and query as sent on the wire)."""
    path = urllib.parse.quote(request.path, safe="/~")
    pairs = urllib.parse.parse_qsl(request.query, keep_blank_values=True)
    query = "&".join("%s=%s" % (urllib.parse.quote(k, safe="-_.~"), urllib.parse.quote(v, safe="-_.~"))
                     for k, v in sorted(pairs))
    lines = []
    for name in signed_headers:
        values = request.headers.get_all(name) or []
        lines.append("%s:%s\n" % (name, ",".join(" ".join(v.split()) for v in values)))
    payload_hash = hashlib.sha256(request.body).hexdigest()
    return "\n".join([request.method, path, query, "".join(lines), ";".join(signed_headers), payload_hash])


def sigv4_signing_key(secret, date, region, service):
    key = ("AWS4" + secret).encode()
    for part in (date, region, service, "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    return key


def ses_region(request):
    match = re.match(r"email\.([a-z0-9-]+)\.amazonaws\.com(:\d+)?$", request.header("Host") or "")
    return match.group(1) if match else SES_REGION


def ses_verify_signature(request):
    """Recomputes the SigV4 signature from the request and the secret; raises Refused."""
    authorization = request.header("Authorization") or ""
    match = re.match(r"AWS4-HMAC-SHA256 Credential=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})$",
                     authorization)
    if not match:
        raise ses_auth_error("MissingAuthenticationTokenException", "Missing Authentication Token")
    credential, signed, signature = match.groups()
    scope = credential.split("/")
    if len(scope) != 5 or scope[4] != "aws4_request":
        raise ses_auth_error("IncompleteSignatureException", "Credential must have exactly 5 slash-delimited elements.")
    access_key, date, region, service = scope[:4]
    if access_key != SES_ACCESS_KEY:
        raise ses_auth_error("UnrecognizedClientException", "The security token included in the request is invalid.")
    if service != "ses":
        raise ses_auth_error("SignatureDoesNotMatch", "Credential should be scoped to correct service: 'ses'.")
    if region != ses_region(request):
        raise ses_auth_error("SignatureDoesNotMatch", "Credential should be scoped to a valid region.")
    signed_headers = signed.split(";")
    if "host" not in signed_headers or signed_headers != sorted(signed_headers):
        raise ses_auth_error("IncompleteSignatureException",
                             "SignedHeaders must be sorted, lower-case and include host.")
    amz_date = request.header("X-Amz-Date") or ""
    try:
        when = datetime.datetime.strptime(amz_date, "%Y%m%dT%H%M%SZ").replace(tzinfo=datetime.timezone.utc)
    except ValueError:
        raise ses_auth_error("IncompleteSignatureException", "X-Amz-Date must be given as YYYYMMDDTHHMMSSZ.") from None
    if "x-amz-date" not in signed_headers or amz_date[:8] != date:
        raise ses_auth_error("SignatureDoesNotMatch", "X-Amz-Date must be signed and agree with the credential date.")
    if abs(datetime.datetime.now(datetime.timezone.utc) - when) > SES_CLOCK_SKEW:
        raise ses_auth_error("InvalidSignatureException",
                             "Signature expired: %s is too far from the server's time." % amz_date)
    content_sha256 = request.header("X-Amz-Content-Sha256")
    if content_sha256 is not None and content_sha256 != hashlib.sha256(request.body).hexdigest():
        raise ses_auth_error("SignatureDoesNotMatch", "The x-amz-content-sha256 header does not match the body.")
    canonical = sigv4_canonical_request(request, signed_headers)
    string_to_sign = "\n".join(["AWS4-HMAC-SHA256", amz_date, "/".join(scope[1:]),
                                hashlib.sha256(canonical.encode()).hexdigest()])
    key = sigv4_signing_key(SES_SECRET, date, region, service)
    expected = hmac.new(key, string_to_sign.encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, signature):
        raise ses_auth_error("SignatureDoesNotMatch",
                             "The request signature we calculated does not match the signature you provided. "
                             "Check your AWS Secret Access Key and signing method.",
                             {"canonical_request": canonical, "string_to_sign": string_to_sign})


def ses(request):
    ses_verify_signature(request)
    document = request.json_body(ses_error(400, "SerializationException", "The request body is not a JSON object."))
    raw_data = (((document.get("Content") or {}).get("Raw") or {}).get("Data")
                if isinstance(document.get("Content"), dict) else None)
    fields = dict(document)
    if raw_data is None:
        return ses_error(400, "BadRequestException",
                         "This peer implements Content.Raw only: Content.Raw.Data is required."), fields
    fields["Content"] = {"Raw": {"Data": base64_summary(raw_data)}}
    raw = decoded_base64(raw_data)
    if raw is None:
        return ses_error(400, "BadRequestException", "Content.Raw.Data must be base64."), fields
    if len(raw) > SES_MAX_RAW:
        return ses_error(400, "MessageRejected", "Message length is more than 40 MB."), fields
    fields.update(raw_mime_fields(raw))
    mime = fields["mime"]
    destination = document.get("Destination") or {}
    recipients = [a for key in ("ToAddresses", "CcAddresses", "BccAddresses") for a in destination.get(key) or []]
    if not destination:
        recipients = [a["address"] for key in ("to", "cc", "bcc") for a in mime[key]]
    if not recipients:
        return ses_error(400, "BadRequestException",
                         "The message has no recipients: give Destination or To/Cc/Bcc headers."), fields
    if not document.get("FromEmailAddress") and not mime["from"]:
        return ses_error(400, "MessageRejected", "The message has no From header and no FromEmailAddress."), fields
    message_id = "0102%s-%s-000000" % (uuid.uuid4().hex, uuid.uuid4())
    return json_reply(200, {"MessageId": message_id}, headers={"x-amzn-RequestId": str(uuid.uuid4())},
                      message_id=message_id), fields


# --- Postmark POST /email ------------------------------------------------------------------

POSTMARK_MAX_RECIPIENTS = 50
POSTMARK_ERROR_CODES = {401: 10, 413: 300, 422: 300, 429: 429, 500: 0, 503: 100}
POSTMARK_ERROR_MESSAGES = {401: "The Server Token in the X-Postmark-Server-Token header is not valid.",
                           413: "The request exceeded the 10 MB size limit of the Email API.",
                           422: "Invalid email request.", 429: "Rate limit exceeded.",
                           500: "Internal server error.", 503: "Maintenance."}


def postmark_error(status, code, message):
    return json_reply(status, {"ErrorCode": code, "Message": message})


def postmark_error_reply(status):
    return postmark_error(status, POSTMARK_ERROR_CODES.get(status, 0),
                          POSTMARK_ERROR_MESSAGES.get(status, "The request was refused."))


def postmark_problem(mail):
    """The first problem of a Postmark /email request (Postmark answers one at a time)."""
    if not addresses_in(mail.get("From")):
        return "Invalid 'From' address: a From address is required."
    recipients = [a for key in ("To", "Cc", "Bcc") for a in addresses_in(mail.get(key))]
    if not recipients:
        return "Zero recipients specified."
    if len(recipients) > POSTMARK_MAX_RECIPIENTS:
        return "Maximum of %d recipients allowed (To, Cc and Bcc together)." % POSTMARK_MAX_RECIPIENTS
    if not mail.get("TextBody") and not mail.get("HtmlBody"):
        return "Provide either email TextBody or HtmlBody or both."
    headers = mail.get("Headers") or []
    if not isinstance(headers, list) or \
            not all(isinstance(h, dict) and h.get("Name") and "Value" in h for h in headers):
        return "Headers must be a list of objects with Name and Value."
    for attachment in mail.get("Attachments") or []:
        if not isinstance(attachment, dict) or not attachment.get("Name") or not attachment.get("ContentType"):
            return "Each attachment needs Name, Content and ContentType."
        if decoded_base64(attachment.get("Content")) is None:
            return "Attachment %s: Content must be base64." % attachment.get("Name")
    return None


def postmark(request):
    if len(request.body) > POSTMARK_MAX_BODY:
        raise Refused(postmark_error_reply(413))
    token = request.header("X-Postmark-Server-Token")
    if token is None:
        raise Refused(postmark_error(401, 10, "No Server API token in an X-Postmark-Server-Token header."))
    if token != POSTMARK_TOKEN:
        raise Refused(postmark_error_reply(401))
    mail = request.json_body(postmark_error(422, 402, "Received invalid JSON input."))
    fields = summarised_contents(mail, "Attachments", "Content")
    problem = postmark_problem(mail)
    if problem:
        return postmark_error(422, 300, problem), fields
    message_id = str(uuid.uuid4())
    submitted = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="microseconds")
    return json_reply(200, {"To": mail.get("To"), "SubmittedAt": submitted, "MessageID": message_id,
                            "ErrorCode": 0, "Message": "OK"}, message_id=message_id), fields


# --- Brevo POST /v3/smtp/email ----------------------------------------------------------------

BREVO_ERRORS = {400: ("invalid_parameter", "Invalid parameter"), 401: ("unauthorized", "Key not found"),
                403: ("permission_denied", "Permission denied"), 413: ("invalid_parameter", "Request too large"),
                429: ("too_many_requests", "Too many requests"), 500: ("internal_error", "Internal error")}


def brevo_error(status, code, message):
    return json_reply(status, {"code": code, "message": message})


def brevo_error_reply(status):
    return brevo_error(status, *BREVO_ERRORS.get(status, ("error", "The request was refused.")))


def brevo_address_ok(value):
    return isinstance(value, dict) and isinstance(value.get("email"), str) and "@" in value["email"]


def brevo_problem(mail):
    """(code, message) of the first problem of a Brevo send request, or None."""
    if "sender" not in mail:
        return "missing_parameter", "sender is missing"
    if not brevo_address_ok(mail["sender"]):
        return "invalid_parameter", "sender.email is not valid"
    if not isinstance(mail.get("to"), list) or not mail["to"]:
        return "missing_parameter", "to is missing"
    for key in ("to", "cc", "bcc"):
        if not all(brevo_address_ok(a) for a in mail.get(key) or []):
            return "invalid_parameter", "%s: every entry needs a valid email" % key
    if "replyTo" in mail and not brevo_address_ok(mail["replyTo"]):
        return "invalid_parameter", "replyTo.email is not valid"
    if "templateId" not in mail:
        if not mail.get("subject"):
            return "missing_parameter", "subject is missing"
        if not mail.get("htmlContent") and not mail.get("textContent"):
            return "missing_parameter", "htmlContent or textContent is missing"
    headers = mail.get("headers") or {}
    if not isinstance(headers, dict) or not all(isinstance(v, str) for v in headers.values()):
        return "invalid_parameter", "headers must be an object of string values"
    for attachment in mail.get("attachment") or []:
        if not isinstance(attachment, dict) or not attachment.get("name"):
            return "invalid_parameter", "attachment name is missing"
        if "url" not in attachment and decoded_base64(attachment.get("content")) is None:
            return "invalid_parameter", "attachment %s: content must be base64" % attachment.get("name")
    return None


def brevo(request):
    if request.header("api-key") != BREVO_KEY:
        raise Refused(brevo_error_reply(401))
    mail = request.json_body(brevo_error(400, "bad_request", "Input must be a valid JSON object"))
    fields = summarised_contents(mail, "attachment", "content")
    problem = brevo_problem(mail)
    if problem:
        return brevo_error(400, *problem), fields
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%d%H%M%S")
    message_id = "<%s.%s@smtp-relay.mailin.fr>" % (stamp, uuid.uuid4().int % 10**11)
    return json_reply(201, {"messageId": message_id}, message_id=message_id), fields


# --- routing ---------------------------------------------------------------------------------

PROVIDERS = [
    ("sendgrid", re.compile(r"/v3/mail/send$"), sendgrid, sendgrid_error_reply),
    ("mailgun", re.compile(r"/v3/[^/]+/messages\.mime$"), mailgun, mailgun_error_reply),
    ("ses", re.compile(r"/v2/email/outbound-emails$"), ses, ses_error_reply),
    ("postmark", re.compile(r"/email$"), postmark, postmark_error_reply),
    ("brevo", re.compile(r"/v3/smtp/email$"), brevo, brevo_error_reply),
]


def provider_for(path):
    for name, pattern, answer, error_reply in PROVIDERS:
        if pattern.match(path):
            return name, answer, error_reply
    return None


# --- the script of behaviours and the log -----------------------------------------------------

class Script(BehaviourQueue):
    def take(self, provider, body):
        return self.first(lambda behaviour: behaviour.get("provider", provider) == provider
                          and ("contains" not in behaviour or behaviour["contains"].encode() in body))


def behaviour_problem(behaviour):
    if not isinstance(behaviour, dict):
        return "each behaviour must be an object"
    unknown = set(behaviour) - BEHAVIOUR_KEYS
    if unknown:
        return "unknown behaviour keys: %s (known: %s)" % (", ".join(sorted(unknown)),
                                                           ", ".join(sorted(BEHAVIOUR_KEYS)))
    if "provider" in behaviour and behaviour["provider"] not in [p[0] for p in PROVIDERS]:
        return "unknown provider %r" % behaviour["provider"]
    if "status" in behaviour and not (isinstance(behaviour["status"], int) and 400 <= behaviour["status"] <= 599):
        return "status must be an error status (400..599)"
    return None


# --- HTTP ------------------------------------------------------------------------------------

class BodyTooLarge(Exception):
    pass


class LengthRequired(Exception):
    pass


class Handler(http.server.BaseHTTPRequestHandler):
    # HTTP/1.1: persistent connections, so every answer carries an exact Content-Length.
    protocol_version = "HTTP/1.1"
    server_version = "smtpx-api-peer/1"
    timeout = IDLE_TIMEOUT
    connections = 0
    connections_lock = threading.Lock()

    def setup(self):
        super().setup()  # sets the connection's timeout, so a stalled handshake ends too
        # The providers' front ends answer without Nagle; with it, an answer
        # written in two pieces waits ~40 ms for the client's delayed ACK and
        # the benchmarks would measure this peer instead of smtpx.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if isinstance(self.connection, ssl.SSLSocket):
            self.connection.do_handshake()
        with Handler.connections_lock:
            Handler.connections += 1
            self.connection_number = Handler.connections
        self.requests_on_connection = 0

    def do_GET(self):
        self.requests_on_connection += 1
        path, _, query = self.path.partition("?")
        if path == "/_log":
            since = urllib.parse.parse_qs(query).get("since", ["0"])[0]
            self.send(json_reply(200, self.server.journal.since(int(since) if since.isdigit() else 0)))
        elif path == "/_control":
            self.send(json_reply(200, {"queue": self.server.script.listing()}))
        else:
            self.send(json_reply(404, {"message": "not found: " + path}))

    def do_POST(self):
        self.requests_on_connection += 1
        path, _, query = self.path.partition("?")
        try:
            body = self.read_body()
        except BodyTooLarge:
            self.close_connection = True
            self.send(json_reply(413, {"message": "request body over %d bytes" % READ_MAX_BODY}))
            return
        except LengthRequired:
            self.close_connection = True
            self.send(json_reply(411, {"message": "Content-Length (or chunked encoding) is required"}))
            return
        except ValueError:
            self.close_connection = True
            self.send(json_reply(400, {"message": "the chunked body is malformed"}))
            return
        if path == "/_control":
            self.control(body)
            return
        route = provider_for(path)
        if route is None:
            self.send(json_reply(404, {"message": "no provider endpoint at " + path}))
            return
        self.serve_provider(ProviderRequest(self, route[0], path, query, body), *route[1:])

    def read_body(self):
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            return self.read_chunked()
        length = self.headers.get("Content-Length")
        if length is None or not length.isdigit():
            raise LengthRequired()
        if int(length) > READ_MAX_BODY:
            raise BodyTooLarge()
        return self.rfile.read(int(length))

    def read_chunked(self):
        body = bytearray()
        while True:
            size = int(self.rfile.readline(1024).split(b";")[0].strip() or b"x", 16)
            if size == 0:
                while self.rfile.readline(8192) not in (b"\r\n", b"\n", b""):
                    pass  # trailer fields
                return bytes(body)
            if len(body) + size > READ_MAX_BODY:
                raise BodyTooLarge()
            body += self.rfile.read(size)
            self.rfile.readline(8)

    def control(self, body):
        try:
            command = json.loads(body or b"{}")
        except ValueError:
            command = None
        behaviours = command.get("next", []) if isinstance(command, dict) else None
        problem = "the body must be a JSON object" if not isinstance(behaviours, list) else None
        unknown = set(command) - {"next", "reset"} if isinstance(command, dict) else set()
        problem = problem or (unknown and "unknown keys: " + ", ".join(sorted(unknown)))
        problem = problem or next(filter(None, map(behaviour_problem, behaviours)), None)
        if problem:
            self.send(json_reply(400, {"message": problem}))
            return
        if command.get("reset"):
            self.server.script.reset()
        self.send(json_reply(200, {"queued": self.server.script.add(behaviours)}))

    def serve_provider(self, request, answer, error_reply):
        behaviour = self.server.script.take(request.provider, request.body)
        entry = self.entry(request, behaviour)
        if behaviour and "delay" in behaviour:
            time.sleep(min(float(behaviour["delay"]), LONGEST_WAIT))
        if behaviour and (behaviour.get("hang") or behaviour.get("close_after_request")):
            self.server.journal.append(entry)
            if behaviour.get("hang"):
                self.hold_until_client_gives_up()
            self.close_connection = True
            return
        if behaviour and "status" in behaviour:
            reply, fields = self.scripted_reply(behaviour, error_reply), None
        else:
            try:
                reply, fields = answer(request)
            except Refused as refused:
                reply, fields = refused.reply, None
        entry.update(status=reply.status, accepted=reply.status < 300, fields=fields,
                     error=reply.error, message_id=reply.message_id)
        self.server.journal.append(entry)
        self.send(reply)

    def entry(self, request, behaviour):
        headers = {}
        for name, value in self.headers.items():
            value = redacted(name, value)
            key = name.lower()
            headers[key] = headers[key] + ", " + value if key in headers else value
        return {"time": datetime.datetime.now(datetime.timezone.utc).isoformat(), "provider": request.provider,
                "method": request.method, "path": request.path, "query": request.query,
                "http_version": request.http_version, "connection": self.connection_number,
                "request_on_connection": self.requests_on_connection, "headers": headers,
                "body_size": len(request.body), "status": None, "accepted": False, "behaviour": behaviour,
                "error": None, "message_id": None, "fields": None}

    @staticmethod
    def scripted_reply(behaviour, error_reply):
        reply = error_reply(behaviour["status"])
        if "body" in behaviour:
            reply.body = behaviour["body"].encode()
            reply.content_type = behaviour.get("content_type", reply.content_type)
        if "retry_after" in behaviour:
            reply.headers["Retry-After"] = str(behaviour["retry_after"])
        reply.headers.update(behaviour.get("headers") or {})
        return reply

    def hold_until_client_gives_up(self):
        """Reads and drops whatever comes until the client closes, for at most LONGEST_WAIT s."""
        until = time.monotonic() + LONGEST_WAIT
        sock = self.connection
        while (left := until - time.monotonic()) > 0:
            pending = isinstance(sock, ssl.SSLSocket) and sock.pending()
            if not pending and not select.select([sock], [], [], left)[0]:
                break
            try:
                if not sock.recv(4096):
                    break
            except (OSError, ssl.SSLError):
                break

    def send(self, reply):
        self.send_response(reply.status)
        if reply.content_type:
            self.send_header("Content-Type", reply.content_type)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(reply.body)))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(reply.body)


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address, journal, tls):
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        super().__init__(address, Handler)
        self.journal = journal
        self.script = Script()
        self.tls = tls

    def get_request(self):
        sock, address = super().get_request()
        if self.tls is None:
            return sock, address
        # The handshake happens in the connection's own thread (Handler.setup), so a client
        # that stalls or refuses the certificate never blocks accept().
        return self.tls.wrap_socket(sock, server_side=True, do_handshake_on_connect=False), address

    def handle_error(self, request, client_address):
        # A port probe (tests/peers/api-start waits so) closes before any TLS: not worth a line.
        if isinstance(sys.exc_info()[1], (ssl.SSLEOFError, ConnectionError)):
            return
        print("api_server: connection from %s ended: %s" % (client_address[0], sys.exc_info()[1]), file=sys.stderr)


def tls_context(certfile, keyfile):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(certfile, keyfile)
    context.set_alpn_protocols(["http/1.1"])
    return context


def main():
    peers = os.environ.get("SMTPX_PEERS_DIR") or "/tmp/smtpx-peers"
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("port", type=int)
    parser.add_argument("log")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--certfile", default=os.path.join(peers, "server.pem"))
    parser.add_argument("--keyfile", default=os.path.join(peers, "server.key"))
    parser.add_argument("--plain", action="store_true", help="serve http, without TLS")
    args = parser.parse_args()
    tls = None if args.plain else tls_context(args.certfile, args.keyfile)
    server = Server((args.host, args.port), Journal(args.log), tls)
    print("api_server: %s://%s:%d, log %s" % ("http" if args.plain else "https", args.host, args.port, args.log),
          flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
