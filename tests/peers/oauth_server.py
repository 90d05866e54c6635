#!/usr/bin/python3
"""The OAuth2 test peer: a token endpoint that answers the refresh_token grant (RFC 6749
section 6) as Google and the Microsoft identity platform (v2) document it, and SMTP
submission servers that take only the access tokens that endpoint issued, by XOAUTH2 (as
Google documents it) and OAUTHBEARER (RFC 7628). One process, so both sides share the
tokens. Python's standard library and Debian's python3-aiosmtpd.

Usage: oauth_server.py TOKEN_PORT LOG MAILDIR [--smtp-port 10589] [--oauthbearer-port P]
                       [--outlook-port P] [--host 127.0.0.1] [--certfile F --keyfile F]
  Certificates default to server.pem/server.key in $SMTPX_PEERS_DIR (/tmp/smtpx-peers).
  A port given as 0 is not opened.

Accepted client and grants (anything else is refused the way the provider refuses it):
  client_id "smtpx-test-client", client_secret "smtpx-test-secret" (in the form, or HTTP
  Basic, RFC 6749 2.3.1); refresh tokens "rt-google-1" and "rt-microsoft-1" (user
  user@example.com), and every grant minted by POST /_control {"grant": PROVIDER}. The two
  fixed tokens are shared by every test, and rt-microsoft-1 is refused from its third use (or
  10 s after its first) by rotation: a test takes a grant of its own
  (smtpx_test_oauth_transport() does). Grants and tokens live in
  memory: a restart forgets the minted ones and every access token.
  Google     POST /token                          scope answered: https://mail.google.com/
  Microsoft  POST /{tenant}/oauth2/v2.0/token     tenant test-tenant (or common, organizations);
             the form must carry scope with https://outlook.office.com/SMTP.Send
  Success: 200 {"access_token", "expires_in" (3599), "token_type": "Bearer", "scope"}; Microsoft
  adds "ext_expires_in" and a new "refresh_token" (rotation). A rotated refresh token stays
  valid for ROTATION_GRACE_USES more use within ROTATION_GRACE_SECONDS, then gets invalid_grant.
  Errors, as JSON {"error", "error_description"} (Microsoft adds error_codes, trace_id, ...):
    400 invalid_request         no refresh_token, or (Microsoft) no scope
    400 unsupported_grant_type  grant_type is not refresh_token
    400 invalid_grant           unknown, revoked or rotated-out refresh token, or one issued
                                to another provider
    400 invalid_scope           (Microsoft) a scope without SMTP.Send
    401 invalid_client          wrong client_secret (and Google: unknown client_id)
    400 unauthorized_client     (Microsoft) unknown client_id
  Microsoft access tokens are long (about 1500 characters, like its JWTs): the XOAUTH2
  initial response is then over 2000 octets, which a client must send on one line.

SMTP, every port STARTTLS (RFC 3207) with the harness certificate: before TLS, AUTH is not
offered and every command but EHLO, NOOP, STARTTLS and QUIT gets "530 Must issue a
STARTTLS command first" (AUTH too); MAIL before AUTH 530 5.7.0 Authentication required; AUTH
lines up to 12288 octets (RFC 4954 4):
  --smtp-port (10589)        AUTH OAUTHBEARER XOAUTH2, errors as Gmail gives them
  --oauthbearer-port         AUTH OAUTHBEARER only
  --outlook-port             AUTH LOGIN XOAUTH2 as Outlook offers it: a refused token is 535
                             5.7.3 at once (no error challenge), LOGIN always fails with 535
                             5.7.139 (basic authentication is disabled)
  An access token is accepted while the token endpoint's grant stands, before expires_in has
  passed, and for the grant's user (user=, a= compared without case).
  XOAUTH2: "AUTH XOAUTH2 " base64("user=" USER ^A "auth=Bearer " TOKEN ^A ^A), or the same
    after an empty "334 " challenge. A refused token gets
      334 eyJzdGF0dXMiOiI0MDEiLCJzY2hlbWVzIjoiQmVhcmVyIiwic2NvcGUiOiJodHRwczovL21haWwuZ29vZ2xlLmNvbS8ifQ==
    (base64 of {"status":"401","schemes":"Bearer","scope":"https://mail.google.com/"}); the
    client must answer an empty line, then
      535-5.7.8 Username and Password not accepted. For more information, go to
      535 5.7.8  https://support.google.com/mail/?p=BadCredentials smtpx-peer
  OAUTHBEARER: base64("n,a=" USER "," ^A "host=" H ^A "port=" P ^A "auth=Bearer " TOKEN ^A ^A).
    A refused token gets
      334 eyJzdGF0dXMiOiJpbnZhbGlkX3Rva2VuIiwic2NoZW1lcyI6IkJlYXJlciIsInNjb3BlIjoiaHR0cHM6Ly9tYWlsLmdvb2dsZS5jb20vIn0=
    (base64 of {"status":"invalid_token","schemes":"Bearer","scope":"https://mail.google.com/"});
    the client must answer "AQ==" (base64 of the one octet 0x01, RFC 7628 3.2.3), then the same
    535 as XOAUTH2.
  Any other answer to an error challenge gets 501 5.5.2 (saying what was expected), "*" 501
  5.7.0 (RFC 4954 4). Success: 235 2.7.0 Accepted. Recipients "reject*" 550 5.1.1,
  "tempfail*" 450 4.2.0. Each accepted message is saved in MAILDIR as NAME.eml (the bytes
  after DATA, dot-unstuffed) beside NAME.json (envelope, port, mechanism, user); the .eml
  appears last, by rename.

Control, POST /_control with a JSON object; keys may be combined:
  {"grant": "google"|"microsoft"}  mint a grant of its own for a test: answers
                                   {"refresh_token": "rt-...", "grant": FINGERPRINT}
  {"revoke": REFRESH_TOKEN}        revoke that token's grant: every refresh token of it gets
                                   invalid_grant, every access token of it is refused at AUTH
  {"expire_access_tokens": REFRESH_TOKEN}  the grant's access tokens issued so far are refused
                                   at AUTH as expired; the grant itself still refreshes
  {"reset": true}                  forget every queued behaviour
  {"next": [BEHAVIOUR, ...]}       queue behaviours; each token request takes the first one
                                   that matches it, in order, and uses it up
  BEHAVIOUR keys (all optional):
    provider: "google"|"microsoft"  match only this provider's requests
    refresh_token: "rt-..."         match only requests for this grant (any of its refresh
                                    tokens): tests run in parallel, this keeps a script yours
    status: 400..599                answer with the provider's error body for this status,
                                    without looking at the request (error: the OAuth error code)
    error, error_description        the error code and text of that answer
    body, content_type, headers, retry_after   replace the body, add headers or Retry-After
    expires_in: N                   a successful answer with this lifetime (the token expires
                                    after N s at the SMTP side too)
    rotate: true|false              a successful answer with or without a new refresh token
    revoke: true                    revoke the grant first (the answer is then invalid_grant)
    delay: seconds                  wait before answering (at most 30)
    hang: true                      read the request, never answer (at most 30 s)
    close_after_request: true       read the request, close the connection without an answer
    auth_reply: "454 4.7.0 ..."     not for a token request: the next AUTH attempt (XOAUTH2 or
                                    OAUTHBEARER, with a token of the refresh_token's grant when
                                    given) gets this reply at once, whatever its token
  GET /_control lists the queue. GET /.well-known/openid-configuration names the endpoints.

The log: one JSON line per event, written before its answer goes out, in LOG; GET
/_log?since=N answers {"count": lines in the log, "entries": [lines N and later]}. Secrets
appear as "***"; refresh and access tokens as their fingerprint (the first 16 hex digits of
their SHA-256), so a test can tell which token was used: smtpx_test_oauth_fingerprint().
  kind "token": seq, time, provider, path, tenant, connection, content_type, fields (the
    form, secrets redacted), client_auth ("post"|"basic"|null), grant (fingerprint of the
    grant's first refresh token, or null), refresh_token (fingerprint presented), status (null
    when no answer was sent), answer (the JSON sent, tokens as fingerprints), error (why it
    was refused), behaviour, rotated
  kind "auth": seq, time, port, profile, mechanism, user, token (fingerprint), grant,
    issued_by (seq of the token entry that issued the token), accepted, reason (why refused),
    error_answer (what the client answered to the error challenge, quoted), reply (its
    last line); OAUTHBEARER adds host and given_port (what the client sent)
  kind "delivery": seq, time, port, user, mechanism, mail_from, rcpt_tos, file, message_id
"""
import argparse
import base64
import binascii
import collections
import datetime
import hashlib
import http.server
import json
import logging
import os
import re
import secrets
import select
import socket
import ssl
import sys
import threading
import time
import urllib.parse
import uuid

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult

# The state shared with the API peer sits beside this file; no bytecode in the work tree.
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from peer_state import BehaviourQueue, Journal  # noqa: E402

# aiosmtpd 1.4 sets its deprecated Session.login_data on every AUTH and logs a warning each time.
logging.getLogger("mail.log").addFilter(lambda record: "login_data is deprecated" not in record.getMessage())

CLIENT_ID = "smtpx-test-client"
CLIENT_SECRET = "smtpx-test-secret"
GOOGLE_REFRESH_TOKEN = "rt-google-1"
MICROSOFT_REFRESH_TOKEN = "rt-microsoft-1"
TENANT = "test-tenant"
# Microsoft's own aliases for "the tenant of the signed-in account".
TENANT_ALIASES = {"common", "organizations"}
USER = "user@example.com"
ACCESS_TOKEN_LIFETIME = 3599
GOOGLE_SCOPE = "https://mail.google.com/"
MICROSOFT_SCOPE = "https://outlook.office.com/SMTP.Send"
ROTATION_GRACE_USES = 1
ROTATION_GRACE_SECONDS = 10.0
# Microsoft's access tokens are JWTs of 1.2 to 2.5 KB; ours are opaque but as long.
MICROSOFT_TOKEN_LENGTH = 1500
# RFC 4954 4: an AUTH command line may be 12288 octets.
AUTH_LINE_MAX = 12288
LONGEST_WAIT = 30.0
IDLE_TIMEOUT = 75.0

PROVIDERS = ("google", "microsoft")
SECRET_FIELDS = {"client_secret", "code", "code_verifier", "password"}
TOKEN_FIELDS = {"refresh_token", "access_token"}
BEHAVIOUR_KEYS = {"provider", "refresh_token", "status", "error", "error_description", "body",
                  "content_type", "headers", "retry_after", "expires_in", "rotate", "revoke",
                  "delay", "hang", "close_after_request", "auth_reply"}

GMAIL_535 = ("535-5.7.8 Username and Password not accepted. For more information, go to\r\n"
             "535 5.7.8  https://support.google.com/mail/?p=BadCredentials smtpx-peer")
OUTLOOK_535_TOKEN = "535 5.7.3 Authentication unsuccessful [smtpx-peer]"
OUTLOOK_535_BASIC = "535 5.7.139 Authentication unsuccessful, basic authentication is disabled. [smtpx-peer]"


def fingerprint(token):
    """What the log shows of a token: enough to tell tokens apart, nothing to use."""
    if not token:
        return None
    return hashlib.sha256(token.encode()).hexdigest()[:16]


def now_iso():
    return datetime.datetime.now(datetime.timezone.utc).isoformat()


# --- grants and tokens, shared by the token endpoint and the SMTP servers -------------------

class Grant:
    """One user's consent to the client: the refresh tokens and access tokens it yields."""

    def __init__(self, provider, first_refresh_token, user=USER):
        self.provider = provider
        self.user = user
        self.client_id = CLIENT_ID
        self.id = fingerprint(first_refresh_token)
        self.revoked = False
        self.generation = 1


class RefreshToken:
    def __init__(self, grant):
        self.grant = grant
        self.rotated_at = None  # monotonic time it was replaced by a newer one
        self.grace_uses = 0


class AccessToken:
    def __init__(self, grant, lifetime):
        self.grant = grant
        self.expires_at = time.monotonic() + lifetime
        self.expired = False  # set by /_control expire_access_tokens
        self.issued_by = None  # seq of the log entry of the answer that carried it


class Tokens:
    def __init__(self):
        self.lock = threading.Lock()
        self.refresh = {}
        self.access = {}
        self.mint("google", GOOGLE_REFRESH_TOKEN)
        self.mint("microsoft", MICROSOFT_REFRESH_TOKEN)

    def mint(self, provider, refresh_token=None):
        refresh_token = refresh_token or "rt-%s-%s" % (provider, secrets.token_hex(12))
        with self.lock:
            self.refresh[refresh_token] = RefreshToken(Grant(provider, refresh_token))
        return refresh_token

    def grant_of(self, refresh_token):
        with self.lock:
            record = self.refresh.get(refresh_token)
            return record.grant if record else None

    def revoke(self, refresh_token):
        grant = self.grant_of(refresh_token)
        if grant:
            grant.revoked = True
        return grant

    def expire_access_tokens(self, refresh_token):
        grant = self.grant_of(refresh_token)
        with self.lock:
            for record in self.access.values():
                if record.grant is grant:
                    record.expired = True
        return grant

    def redeem(self, provider, refresh_token):
        """(grant, None) when refresh_token may be redeemed now, else (grant or None, why)."""
        with self.lock:
            record = self.refresh.get(refresh_token)
            if record is None or record.grant.provider != provider:
                return None, "unknown refresh token"
            grant = record.grant
            if grant.revoked:
                return grant, "revoked"
            if record.rotated_at is not None:
                if time.monotonic() - record.rotated_at > ROTATION_GRACE_SECONDS:
                    return grant, "rotated out: its grace of %g s is over" % ROTATION_GRACE_SECONDS
                if record.grace_uses >= ROTATION_GRACE_USES:
                    return grant, "rotated out: its grace of %d use is used up" % ROTATION_GRACE_USES
                record.grace_uses += 1
            return grant, None

    def issue(self, grant, lifetime, rotate_from=None):
        """A new access token, and a new refresh token when rotate_from (the one redeemed) is given."""
        if grant.provider == "microsoft":
            access_token = "EwB" + secrets.token_urlsafe(MICROSOFT_TOKEN_LENGTH)[:MICROSOFT_TOKEN_LENGTH - 3]
        else:
            access_token = "ya29." + secrets.token_urlsafe(48)
        record = AccessToken(grant, lifetime)
        with self.lock:
            self.access[access_token] = record
            new_refresh = None
            if rotate_from is not None:
                grant.generation += 1
                new_refresh = "rt-%s-%s" % (grant.provider, secrets.token_hex(12))
                self.refresh[new_refresh] = RefreshToken(grant)
                old = self.refresh[rotate_from]
                if old.rotated_at is None:
                    old.rotated_at = time.monotonic()
        return access_token, record, new_refresh

    def check(self, access_token, user):
        """(record or None, None) for a token the SMTP server takes from user, else (record, why)."""
        with self.lock:
            record = self.access.get(access_token)
        if record is None:
            return None, "not issued by the token endpoint" if access_token else "empty token"
        if record.grant.revoked:
            return record, "grant revoked"
        if record.expired or time.monotonic() >= record.expires_at:
            return record, "expired"
        if user is not None and user.lower() != record.grant.user.lower():
            return record, "issued to %s, not %s" % (record.grant.user, user)
        return record, None


# --- the token endpoint's answers, per provider ---------------------------------------------

def json_body(document):
    return json.dumps(document, separators=(",", ":")).encode()


class Answer:
    def __init__(self, status, document=None, body=None, content_type="application/json; charset=utf-8",
                 headers=None, why=None, logged=None):
        self.status = status
        self.document = document
        self.body = json_body(document) if body is None else body
        self.content_type = content_type
        # RFC 6749 5.1: token answers are never cached.
        self.headers = {"Cache-Control": "no-store", "Pragma": "no-cache"}
        self.headers.update(headers or {})
        self.why = why
        self.logged = logged if logged is not None else document


GOOGLE_ERRORS = {
    400: ("invalid_grant", "Bad Request"),
    401: ("invalid_client", "Unauthorized"),
    403: ("access_denied", "Forbidden"),
    429: ("rate_limit_exceeded", "Rate Limit Exceeded"),
    500: ("internal_failure", "Backend Error"),
    503: ("temporarily_unavailable", "The service is currently unavailable."),
}
# AADSTS codes of Microsoft's error reference for each case.
MICROSOFT_ERRORS = {
    400: ("invalid_grant", "AADSTS70000: The provided value for the 'refresh_token' is not valid."),
    401: ("invalid_client", "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent "
                            "in the request is the client secret value, not the client secret ID."),
    429: ("temporarily_unavailable", "AADSTS50196: The server terminated an operation because it "
                                     "encountered a client request loop."),
    500: ("server_error", "AADSTS90100: An unexpected error occurred. Please try again."),
    503: ("temporarily_unavailable", "AADSTS90033: A transient error has occurred. Please try again."),
}


def google_error(status, code, description, **kwargs):
    return Answer(status, {"error": code, "error_description": description}, **kwargs)


def microsoft_error(status, code, description, **kwargs):
    number = int(re.match(r"AADSTS(\d+)", description).group(1)) if description.startswith("AADSTS") else 0
    trace, correlation = str(uuid.uuid4()), str(uuid.uuid4())
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%SZ")
    document = {"error": code,
                "error_description": "%s Trace ID: %s Correlation ID: %s Timestamp: %s" % (
                    description, trace, correlation, stamp),
                "error_codes": [number], "timestamp": stamp, "trace_id": trace,
                "correlation_id": correlation,
                "error_uri": "https://login.microsoftonline.com/error?code=%d" % number}
    return Answer(status, document, **kwargs)


def error_for(provider, status, code=None, description=None, **kwargs):
    """The provider's error answer for status, with its usual code and text unless given."""
    table = GOOGLE_ERRORS if provider == "google" else MICROSOFT_ERRORS
    default_error, default_description = table.get(status, ("server_error", "error %d" % status))
    make = google_error if provider == "google" else microsoft_error
    return make(status, code or default_error, description or default_description, **kwargs)


class TokenRequest:
    def __init__(self, provider, path, tenant, form, basic):
        self.provider = provider
        self.path = path
        self.tenant = tenant
        self.form = form
        self.basic = basic  # (client_id, client_secret) from HTTP Basic, or None

    def field(self, name):
        values = self.form.get(name)
        return values[0] if values else None

    def client(self):
        """(client_id, client_secret, how): RFC 6749 2.3.1, Basic or the form, never both."""
        if self.basic is not None:
            return self.basic[0], self.basic[1], "basic"
        if self.field("client_id") is None and self.field("client_secret") is None:
            return None, None, None
        return self.field("client_id"), self.field("client_secret"), "post"


def refused_grant(provider, why):
    if provider == "google":
        if why == "revoked":
            return google_error(400, "invalid_grant", "Token has been expired or revoked.", why=why)
        return google_error(400, "invalid_grant", "Bad Request", why=why)
    if why == "revoked":
        return microsoft_error(400, "invalid_grant", "AADSTS50173: The provided grant has expired due to it "
                               "being revoked, a fresh auth token is needed. The user might have changed or "
                               "reset their password.", why=why)
    if why.startswith("rotated out"):
        return microsoft_error(400, "invalid_grant", "AADSTS70000: The provided value for the 'refresh_token' "
                               "is not valid: it was replaced by a newer refresh token.", why=why)
    return microsoft_error(400, "invalid_grant", "AADSTS9002313: Invalid request. Request is malformed or "
                           "invalid.", why=why)


def refusal(request):
    """The provider's answer to a request it refuses before looking at the grant, or None."""
    google = request.provider == "google"
    refuse = google_error if google else microsoft_error
    grant_type = request.field("grant_type")
    if grant_type is None:
        return refuse(400, "invalid_request", "Missing required parameter: grant_type" if google else
                     "AADSTS900144: The request body must contain the following parameter: 'grant_type'.",
                     why="no grant_type")
    if grant_type != "refresh_token":
        return refuse(400, "unsupported_grant_type", "Invalid grant_type: " + grant_type if google else
                     "AADSTS70003: The app requested an unsupported grant type '%s'." % grant_type,
                     why="grant_type " + grant_type)
    if not google and request.tenant != TENANT and request.tenant not in TENANT_ALIASES:
        return refuse(400, "invalid_request", "AADSTS90002: Tenant '%s' not found." % request.tenant,
                     why="unknown tenant")
    client_id, client_secret, _ = request.client()
    if client_id != CLIENT_ID:
        if google:
            return refuse(401, "invalid_client", "The OAuth client was not found.", why="unknown client_id")
        return refuse(400, "unauthorized_client", "AADSTS700016: Application with identifier '%s' was not found "
                     "in the directory '%s'." % (client_id, request.tenant), why="unknown client_id")
    if client_secret != CLIENT_SECRET:
        if google:
            return refuse(401, "invalid_client", "Unauthorized", why="wrong client_secret")
        return error_for("microsoft", 401, why="wrong client_secret")
    if request.field("refresh_token") is None:
        return refuse(400, "invalid_request", "Missing required parameter: refresh_token" if google else
                     "AADSTS900144: The request body must contain the following parameter: 'refresh_token'.",
                     why="no refresh_token")
    if not google:
        scope = request.field("scope")
        if scope is None:
            return refuse(400, "invalid_request", "AADSTS900144: The request body must contain the following "
                         "parameter: 'scope'.", why="no scope")
        if MICROSOFT_SCOPE.lower() not in scope.lower().split():
            return refuse(400, "invalid_scope", "AADSTS70011: The provided request must include a 'scope' input "
                         "parameter. The provided value for the input parameter 'scope' is not valid.",
                         why="scope without SMTP.Send: " + scope)
    return None


def token_answer(tokens, request, behaviour):
    """The answer to a token request, and the grant it concerned (or None)."""
    provider = request.provider
    refused = refusal(request)
    refresh_token = request.field("refresh_token")
    grant = tokens.grant_of(refresh_token) if refresh_token else None
    if refused:
        return refused, grant
    if behaviour.get("revoke"):
        tokens.revoke(refresh_token)
    grant, why = tokens.redeem(provider, refresh_token)
    if why:
        return refused_grant(provider, why), grant
    lifetime = int(behaviour.get("expires_in", ACCESS_TOKEN_LIFETIME))
    rotate = behaviour.get("rotate", provider == "microsoft")
    access_token, record, new_refresh = tokens.issue(grant, lifetime, refresh_token if rotate else None)
    if provider == "google":
        document = {"access_token": access_token, "expires_in": lifetime, "scope": GOOGLE_SCOPE,
                    "token_type": "Bearer"}
    else:
        document = {"token_type": "Bearer", "scope": MICROSOFT_SCOPE, "expires_in": lifetime,
                    "ext_expires_in": lifetime, "access_token": access_token}
    if new_refresh:
        document["refresh_token"] = new_refresh
    logged = {k: fingerprint(v) if k in TOKEN_FIELDS else v for k, v in document.items()}
    answer = Answer(200, document, logged=logged)
    answer.issued = record
    return answer, grant


def scripted_answer(provider, behaviour):
    answer = error_for(provider, behaviour["status"], behaviour.get("error"), behaviour.get("error_description"),
                       why="scripted")
    if "body" in behaviour:
        answer.body = behaviour["body"].encode()
        answer.logged = behaviour["body"]
        answer.content_type = behaviour.get("content_type", answer.content_type)
    return answer


# --- the script of behaviours and the log ----------------------------------------------------

class Script(BehaviourQueue):
    def __init__(self, tokens):
        super().__init__()
        self.tokens = tokens

    def take(self, provider, refresh_token):
        """The first behaviour for a token request of provider for refresh_token's grant."""
        grant = self.tokens.grant_of(refresh_token) if refresh_token else None
        return self.first_for(lambda b: "auth_reply" not in b and b.get("provider", provider) == provider, grant)

    def take_auth(self, grant):
        """The first behaviour for an AUTH attempt with a token of grant (None: not ours)."""
        return self.first_for(lambda b: "auth_reply" in b, grant)

    def first_for(self, kind, grant):
        """The first behaviour of `kind` that names no refresh token, or one of `grant`."""
        return self.first(lambda b: kind(b) and ("refresh_token" not in b or (
            grant is not None and self.tokens.grant_of(b["refresh_token"]) is grant)))


def behaviour_problem(behaviour):
    if not isinstance(behaviour, dict):
        return "each behaviour must be an object"
    unknown = set(behaviour) - BEHAVIOUR_KEYS
    if unknown:
        return "unknown behaviour keys: %s (known: %s)" % (", ".join(sorted(unknown)), ", ".join(sorted(BEHAVIOUR_KEYS)))
    if "provider" in behaviour and behaviour["provider"] not in PROVIDERS:
        return "unknown provider %r" % behaviour["provider"]
    if "status" in behaviour and not (isinstance(behaviour["status"], int) and 400 <= behaviour["status"] <= 599):
        return "status must be an error status (400..599)"
    if "auth_reply" in behaviour and not (isinstance(behaviour["auth_reply"], str)
                                          and re.fullmatch(r"[45]\d\d[ -].*", behaviour["auth_reply"], re.S)):
        return "auth_reply must be an SMTP reply of 4xx or 5xx, e.g. \"454 4.7.0 Try again later\""
    if "expires_in" in behaviour and not (isinstance(behaviour["expires_in"], int) and behaviour["expires_in"] >= 0):
        return "expires_in must be a whole number of seconds"
    return None


# --- HTTPS ---------------------------------------------------------------------------------

MICROSOFT_PATH = re.compile(r"/([^/]+)/oauth2/v2\.0/token$")


def basic_credentials(value):
    """(user, password) of an Authorization: Basic header, form-decoded (RFC 6749 2.3.1), or None."""
    scheme, _, encoded = (value or "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        user, _, password = base64.b64decode(encoded.strip(), validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return "", ""
    return urllib.parse.unquote_plus(user), urllib.parse.unquote_plus(password)


def redacted_form(form):
    shown = {}
    for name, values in form.items():
        value = values[0] if len(values) == 1 else values
        if name in SECRET_FIELDS:
            value = "***"
        elif name in TOKEN_FIELDS:
            value = fingerprint(values[0])
        shown[name] = value
    return shown


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "smtpx-oauth-peer/1"
    timeout = IDLE_TIMEOUT
    connections = 0
    connections_lock = threading.Lock()

    def setup(self):
        super().setup()
        if isinstance(self.connection, ssl.SSLSocket):
            self.connection.do_handshake()
        with Handler.connections_lock:
            Handler.connections += 1
            self.connection_number = Handler.connections

    def log_message(self, *args):
        pass  # the journal is the log

    def do_GET(self):
        path, _, query = self.path.partition("?")
        if path == "/_log":
            since = urllib.parse.parse_qs(query).get("since", ["0"])[0]
            self.send(Answer(200, self.server.journal.since(int(since) if since.isdigit() else 0)))
        elif path == "/_control":
            self.send(Answer(200, {"queue": self.server.script.listing()}))
        elif path == "/.well-known/openid-configuration":
            base = "https://%s:%d" % self.server.server_address[:2]
            self.send(Answer(200, {"issuer": base, "token_endpoint": base + "/token",
                                   "microsoft_token_endpoint": base + "/%s/oauth2/v2.0/token" % TENANT,
                                   "grant_types_supported": ["refresh_token"],
                                   "token_endpoint_auth_methods_supported": ["client_secret_post",
                                                                             "client_secret_basic"]}))
        else:
            self.send(Answer(404, {"error": "not_found", "error_description": "nothing at " + path}))

    def do_POST(self):
        path = self.path.partition("?")[0]
        length = self.headers.get("Content-Length")
        if length is None or not length.isdigit() or int(length) > 1024 * 1024:
            self.close_connection = True
            self.send(Answer(411, {"error": "invalid_request", "error_description": "Content-Length up to 1 MiB"}))
            return
        body = self.rfile.read(int(length))
        if path == "/_control":
            self.control(body)
            return
        match = MICROSOFT_PATH.match(path)
        if path == "/token":
            provider, tenant = "google", None
        elif match:
            provider, tenant = "microsoft", match.group(1)
        else:
            self.send(Answer(404, {"error": "not_found", "error_description": "no token endpoint at " + path}))
            return
        content_type = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        form = urllib.parse.parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
        request = TokenRequest(provider, path, tenant, form, basic_credentials(self.headers.get("Authorization")))
        self.serve_token(request, content_type)

    def control(self, body):
        try:
            command = json.loads(body or b"{}")
        except ValueError:
            command = None
        if not isinstance(command, dict):
            self.send(Answer(400, {"message": "the body must be a JSON object"}))
            return
        known = {"next", "reset", "grant", "revoke", "expire_access_tokens"}
        behaviours = command.get("next", [])
        problem = None
        if set(command) - known:
            problem = "unknown keys: %s (known: %s)" % (", ".join(sorted(set(command) - known)), ", ".join(sorted(known)))
        elif not isinstance(behaviours, list):
            problem = "next must be a list of behaviours"
        elif "grant" in command and command["grant"] not in PROVIDERS:
            problem = "grant must be one of " + ", ".join(PROVIDERS)
        problem = problem or next(filter(None, map(behaviour_problem, behaviours)), None)
        tokens = self.server.tokens
        for key in ("revoke", "expire_access_tokens"):
            if not problem and key in command and tokens.grant_of(command[key]) is None:
                problem = "%s: no such refresh token" % key
        if problem:
            self.send(Answer(400, {"message": problem}))
            return
        result = {}
        if command.get("reset"):
            self.server.script.reset()
        if "revoke" in command:
            result["revoked"] = tokens.revoke(command["revoke"]).id
        if "expire_access_tokens" in command:
            result["expired"] = tokens.expire_access_tokens(command["expire_access_tokens"]).id
        if "grant" in command:
            refresh_token = tokens.mint(command["grant"])
            result.update(refresh_token=refresh_token, grant=tokens.grant_of(refresh_token).id)
        result["queued"] = self.server.script.add(behaviours)
        self.send(Answer(200, result))

    def serve_token(self, request, content_type):
        refresh_token = request.field("refresh_token")
        behaviour = self.server.script.take(request.provider, refresh_token) or {}
        grant = self.server.tokens.grant_of(refresh_token) if refresh_token else None
        entry = {"kind": "token", "time": now_iso(), "provider": request.provider, "path": request.path,
                 "tenant": request.tenant, "connection": self.connection_number, "content_type": content_type,
                 "fields": redacted_form(request.form), "client_auth": request.client()[2],
                 "grant": grant.id if grant else None, "refresh_token": fingerprint(refresh_token),
                 "status": None, "answer": None, "error": None, "behaviour": behaviour or None, "rotated": False}
        if "delay" in behaviour:
            time.sleep(min(float(behaviour["delay"]), LONGEST_WAIT))
        if behaviour.get("hang") or behaviour.get("close_after_request"):
            self.server.journal.append(entry)
            if behaviour.get("hang"):
                self.hold_until_client_gives_up()
            self.close_connection = True
            return
        if "status" in behaviour:
            answer = scripted_answer(request.provider, behaviour)
        elif content_type != "application/x-www-form-urlencoded":
            # RFC 6749 4.1.3 and 6: the request is a form.
            answer = error_for(request.provider, 400, "invalid_request",
                               "Invalid Content-Type: " + (content_type or "none"), why="not a form")
        else:
            answer, grant = token_answer(self.server.tokens, request, behaviour)
        if "retry_after" in behaviour:
            answer.headers["Retry-After"] = str(behaviour["retry_after"])
        answer.headers.update(behaviour.get("headers") or {})
        entry.update(status=answer.status, answer=answer.logged, error=answer.why,
                     grant=grant.id if grant else None,
                     rotated=isinstance(answer.document, dict) and "refresh_token" in answer.document)
        seq = self.server.journal.append(entry)
        if getattr(answer, "issued", None) is not None:
            answer.issued.issued_by = seq
        self.send(answer)

    def hold_until_client_gives_up(self):
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

    def send(self, answer):
        self.send_response(answer.status)
        self.send_header("Content-Type", answer.content_type)
        for name, value in answer.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(answer.body)))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(answer.body)


class TokenServer(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address, journal, tokens, script, tls):
        super().__init__(address, Handler)
        self.journal = journal
        self.tokens = tokens
        self.script = script
        self.tls = tls

    def get_request(self):
        sock, address = super().get_request()
        # The handshake runs in the connection's thread (Handler.setup): a stalled client never
        # blocks accept().
        return self.tls.wrap_socket(sock, server_side=True, do_handshake_on_connect=False), address

    def handle_error(self, request, client_address):
        if isinstance(sys.exc_info()[1], (ssl.SSLError, ConnectionError, socket.timeout)):
            return  # port probes and clients that refuse the certificate
        print("oauth_server: connection from %s ended: %s" % (client_address[0], sys.exc_info()[1]), file=sys.stderr)


# --- SMTP ----------------------------------------------------------------------------------

# What each port offers and how it refuses a token.
PROFILES = {
    "gmail": {"mechanisms": ("XOAUTH2", "OAUTHBEARER"), "error_challenge": True},
    "oauthbearer": {"mechanisms": ("OAUTHBEARER",), "error_challenge": True},
    "outlook": {"mechanisms": ("XOAUTH2", "LOGIN"), "error_challenge": False},
}
ALL_MECHANISMS = ("XOAUTH2", "OAUTHBEARER", "LOGIN", "PLAIN")
XOAUTH2_ERROR = {"status": "401", "schemes": "Bearer", "scope": GOOGLE_SCOPE}
OAUTHBEARER_ERROR = {"status": "invalid_token", "schemes": "Bearer", "scope": GOOGLE_SCOPE}


class Submission(SMTP):
    # RFC 4954 4: AUTH lines (and answers to challenges) up to 12288 octets.
    line_length_limit = AUTH_LINE_MAX + 2

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # An instance's own table: SMTP's is a class attribute.
        self.command_size_limits = collections.defaultdict(lambda: SMTP.command_size_limit)
        self.command_size_limits["AUTH"] = AUTH_LINE_MAX


class SubmissionController(Controller):
    def factory(self):
        return Submission(self.handler, **self.SMTP_kwargs)


def parse_xoauth2(blob):
    """(user, token) of an XOAUTH2 initial response, or None when it is not one."""
    match = re.fullmatch(rb"user=([^\x01]*)\x01auth=Bearer ([^\x01]*)\x01\x01", blob)
    if not match:
        return None
    return match.group(1).decode("utf-8", "replace"), match.group(2).decode("ascii", "replace")


def parse_oauthbearer(blob):
    """(user or None, token, {host, port, ...}) of an RFC 7628 client response, or None."""
    header, separator, rest = blob.partition(b"\x01")
    # RFC 7628 3.1: gs2-header "n," [ "a=" saslname ] ","; no channel binding here.
    match = re.fullmatch(rb"n,(?:a=([^,]*))?,", header)
    if not match or not separator or not rest.endswith(b"\x01\x01"):
        return None
    pairs = {}
    for pair in rest[:-2].split(b"\x01"):
        key, equals, value = pair.partition(b"=")
        if not equals or not re.fullmatch(rb"[A-Za-z]+", key):
            return None
        pairs[key.decode()] = value.decode("utf-8", "replace")
    auth = pairs.pop("auth", "")
    if not auth.startswith("Bearer "):
        return None
    user = match.group(1)
    # RFC 5801 4: "=2C" and "=3D" stand for "," and "=" in a saslname.
    user = user.replace(b"=2C", b",").replace(b"=3D", b"=").decode("utf-8", "replace") if user is not None else None
    return user, auth[len("Bearer "):], pairs


def quoted(line):
    return line.decode("ascii", "backslashreplace")


class OAuthHandler:
    """The aiosmtpd handler of one port: its AUTH mechanisms, then delivery into the maildir."""

    def __init__(self, profile, port, tokens, script, journal, maildir):
        self.profile = profile
        self.port = port
        self.tokens = tokens
        self.script = script
        self.journal = journal
        self.maildir = maildir
        self.count = 0
        self.lock = threading.Lock()

    def record(self, mechanism, user, token, record, reason, **extra):
        entry = {"kind": "auth", "time": now_iso(), "port": self.port, "profile": self.profile,
                 "mechanism": mechanism, "user": user, "token": fingerprint(token),
                 "grant": record.grant.id if record else None, "issued_by": record.issued_by if record else None,
                 "accepted": reason is None, "reason": reason, "error_answer": None, "reply": None}
        entry.update(extra)
        self.journal.append(entry)

    def scripted(self, record):
        """The reply a queued auth_reply behaviour gives this attempt instead of checking the token."""
        behaviour = self.script.take_auth(record.grant if record else None)
        return behaviour["auth_reply"].replace("\n", "\r\n") if behaviour else None

    async def read_response(self, server, challenge):
        """Sends "334 challenge" and reads the client's answer line, CRLF removed."""
        await server.push(b"334 " + challenge)
        line = await server._reader.readline()
        return line.rstrip(b"\r\n")

    async def initial_response(self, server, args):
        """The decoded initial response (RFC 4954 4: given with AUTH, or after an empty 334)."""
        encoded = args[1].encode() if len(args) > 1 else await self.read_response(server, b"")
        if encoded == b"*":
            return None, "501 5.7.0 Auth aborted"
        if encoded == b"=":
            return b"", None
        try:
            return base64.b64decode(encoded, validate=True), None
        except binascii.Error:
            return None, "501 5.5.2 Cannot decode the response: it is not base64"

    async def refuse_token(self, server, mechanism, user, token, record, reason, **logged):
        """The refusal as the port's server gives it, with the error challenge when it has one."""
        if not PROFILES[self.profile]["error_challenge"]:
            self.record(mechanism, user, token, record, reason, reply=OUTLOOK_535_TOKEN, **logged)
            return OUTLOOK_535_TOKEN
        error = XOAUTH2_ERROR if mechanism == "XOAUTH2" else OAUTHBEARER_ERROR
        answer = await self.read_response(server, base64.b64encode(json_body(error)))
        # Google: the client answers an empty line; RFC 7628 3.2.3: the one octet 0x01.
        expected = b"" if mechanism == "XOAUTH2" else b"AQ=="
        if answer == expected:
            reply = GMAIL_535
        elif answer == b"*":
            reply = "501 5.7.0 Auth aborted"
        else:
            reply = "501 5.5.2 After the error challenge %s expects %s, not this" % (
                mechanism, "an empty line" if mechanism == "XOAUTH2" else "AQ== (base64 of 0x01)")
        self.record(mechanism, user, token, record, reason, error_answer=quoted(answer),
                    reply=reply.split("\r\n")[-1], **logged)
        return reply

    async def authenticate(self, server, mechanism, user, token, **logged):
        """Takes or refuses the token of one AUTH attempt (a scripted reply first), and logs it."""
        record, reason = self.tokens.check(token, user)
        scripted = self.scripted(record)
        if scripted:
            self.record(mechanism, user, token, record, "scripted", reply=scripted, **logged)
            return AuthResult(success=False, handled=False, message=scripted)
        if reason:
            reply = await self.refuse_token(server, mechanism, user, token, record, reason, **logged)
            return AuthResult(success=False, handled=False, message=reply)
        # OAUTHBEARER's authzid is optional (RFC 7628 3.1): the token names the user then.
        user = user or record.grant.user
        self.record(mechanism, user, token, record, None, reply="235 2.7.0 Accepted", **logged)
        return AuthResult(success=True, auth_data={"mechanism": mechanism, "user": user},
                          message="235 2.7.0 Accepted")

    async def auth_XOAUTH2(self, server, args):
        blob, problem = await self.initial_response(server, args)
        parsed = parse_xoauth2(blob) if blob is not None else None
        if parsed is None:
            reply = problem or "501 5.5.2 Not an XOAUTH2 response: user=USER^Aauth=Bearer TOKEN^A^A"
            self.record("XOAUTH2", None, None, None, "malformed response", reply=reply)
            return AuthResult(success=False, handled=False, message=reply)
        user, token = parsed
        return await self.authenticate(server, "XOAUTH2", user, token)

    async def auth_OAUTHBEARER(self, server, args):
        blob, problem = await self.initial_response(server, args)
        parsed = parse_oauthbearer(blob) if blob is not None else None
        if parsed is None:
            reply = problem or "501 5.5.2 Not an OAUTHBEARER response (RFC 7628 3.1)"
            self.record("OAUTHBEARER", None, None, None, "malformed response", reply=reply)
            return AuthResult(success=False, handled=False, message=reply)
        user, token, pairs = parsed
        return await self.authenticate(server, "OAUTHBEARER", user, token, host=pairs.get("host"),
                                       given_port=pairs.get("port"))

    async def auth_LOGIN(self, server, args):
        # Outlook with basic authentication off: it asks for both, then refuses.
        username = args[1].encode() if len(args) > 1 else await self.read_response(server, b"VXNlcm5hbWU6")
        await self.read_response(server, b"UGFzc3dvcmQ6")
        try:
            user = base64.b64decode(username, validate=True).decode("utf-8", "replace")
        except binascii.Error:
            user = None
        self.record("LOGIN", user, None, None, "basic authentication is disabled", reply=OUTLOOK_535_BASIC)
        return AuthResult(success=False, handled=False, message=OUTLOOK_535_BASIC)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = address.split("@", 1)[0].lower()
        if local.startswith("reject"):
            return "550 5.1.1 <%s>: test peer refuses this recipient" % address
        if local.startswith("tempfail"):
            return "450 4.2.0 <%s>: test peer defers this recipient" % address
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(rcpt_options)
        return "250 2.1.5 Ok"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.count += 1
            name = "%d-%d-%d" % (time.time_ns(), self.port, self.count)
        auth = session.auth_data or {}
        base = os.path.join(self.maildir, name)
        with open(base + ".eml.tmp", "wb") as raw:
            raw.write(envelope.original_content)
        meta = {"mail_from": envelope.mail_from, "rcpt_tos": envelope.rcpt_tos, "port": self.port,
                "mechanism": auth.get("mechanism"), "user": auth.get("user")}
        with open(base + ".json", "w", encoding="utf-8") as out:
            json.dump(meta, out)
        os.rename(base + ".eml.tmp", base + ".eml")
        found = re.search(rb"^Message-ID:[ \t]*(\S+)", envelope.original_content, re.I | re.M)
        self.journal.append(dict(meta, kind="delivery", time=now_iso(), file=name + ".eml",
                                 message_id=found.group(1).decode("utf-8", "replace") if found else None))
        return "250 2.0.0 Ok: queued as %s" % name


def smtp_server(profile, host, port, tls, tokens, script, journal, maildir):
    handler = OAuthHandler(profile, port, tokens, script, journal, maildir)
    offered = PROFILES[profile]["mechanisms"]
    controller = SubmissionController(
        handler, hostname=host, port=port, ready_timeout=10, server_hostname="oauth.smtpx.test",
        decode_data=False, tls_context=tls, require_starttls=True, auth_required=True, auth_require_tls=True,
        auth_exclude_mechanism=[m for m in ALL_MECHANISMS if m not in offered])
    controller.start()
    return controller


def tls_context(certfile, keyfile, alpn=None):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(certfile, keyfile)
    if alpn:
        context.set_alpn_protocols(alpn)
    return context


def main():
    peers = os.environ.get("SMTPX_PEERS_DIR") or "/tmp/smtpx-peers"
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("token_port", type=int)
    parser.add_argument("log")
    parser.add_argument("maildir")
    parser.add_argument("--smtp-port", type=int, default=10589)
    parser.add_argument("--oauthbearer-port", type=int, default=0)
    parser.add_argument("--outlook-port", type=int, default=0)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--certfile", default=os.path.join(peers, "server.pem"))
    parser.add_argument("--keyfile", default=os.path.join(peers, "server.key"))
    args = parser.parse_args()
    os.makedirs(args.maildir, exist_ok=True)
    journal = Journal(args.log)
    tokens = Tokens()
    script = Script(tokens)
    smtp_tls = tls_context(args.certfile, args.keyfile)
    listening = []
    for profile, port in (("gmail", args.smtp_port), ("oauthbearer", args.oauthbearer_port),
                          ("outlook", args.outlook_port)):
        if port:
            smtp_server(profile, args.host, port, smtp_tls, tokens, script, journal, args.maildir)
            listening.append("%s %d" % (profile, port))
    server = TokenServer((args.host, args.token_port), journal, tokens, script,
                         tls_context(args.certfile, args.keyfile, ["http/1.1"]))
    print("oauth_server: token endpoint https://%s:%d, SMTP %s, log %s, mail %s" % (
        args.host, args.token_port, ", ".join(listening), args.log, args.maildir), flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
