// Where and how to submit: host, the ports to try with their TLS mode,
// credentials, TLS verification, timeouts. Built from a DSN string
// ("smtp://user:pass@host:587") or field by field by the glue; validated here.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "../api/provider.h"
#include "../dkim/signer.h"
#include "../oauth/token_endpoint.h"
#include "../smtp/session.h"

namespace smtpx::delivery {

struct PortChoice {
  uint16_t port = 587;
  smtp::TlsMode tls = smtp::TlsMode::starttls;
};

// How long and how much a kept connection may serve (the pool's limits).
struct PoolLimits {
  double idle = 30;             // seconds unused before it is dropped: below the providers' idle timeouts
  double max_age = 300;         // seconds since it was opened
  unsigned max_messages = 100;  // transactions on one connection
  unsigned per_key = 2;         // idle connections kept for one host, port, TLS and user
};

struct Transport {
  // Set: the message goes to a provider's HTTPS API instead of SMTP, and
  // host, ports and credentials do not apply.
  api::ApiSettings api;
  // Tried when this transport fails before any message data went out
  // (smtp::may_fall_back()): another SMTP service, or an API when every SMTP
  // port is blocked.
  std::shared_ptr<const Transport> fallback;
  // SendGrid and Postmark take the same secret on SMTP and on their API: with
  // no fallback given, their SMTP hosts fall back to their API by themselves
  // (provider_api_fallback()); false turns that off.
  bool api_fallback = true;
  // Set: the access token for XOAUTH2/OAUTHBEARER comes from this refresh
  // token (oauth/token_cache.h), not from credentials.oauth_token.
  oauth::OAuthSettings oauth;
  // DKIM signatures to add (two: RSA and Ed25519 side by side during a migration).
  std::vector<dkim::DkimSettings> dkim;
  // The host's key (php.ini smtpx.dkim_*), used when `dkim` is empty and only
  // for mail From its domain or a subdomain: a host's key never signs another
  // domain's mail. Its private_key must be a path.
  std::optional<dkim::DkimSettings> host_dkim;
  std::string host = "localhost";
  std::vector<PortChoice> ports;  // empty: the default plan
  smtp::Credentials credentials;
  bool tls_required = true;  // false only by the explicit `tls => 'none'`
  bool tls_verify = true;
  std::string cafile;
  std::string helo;
  double timeout = 30;          // total budget of one send, in seconds
  double connect_timeout = 10;  // reaching the server: the whole port race, greetings included
  double reply_timeout = 30;    // per server reply
  bool debug = false;
  // RFC 8305 5: the next port starts when the previous one has not greeted within this.
  double stagger = 0.25;
  // Whether smtpx_send() keeps the connection for later sends of this process.
  bool persistent = true;
  PoolLimits pool;

  // The plan: `ports` as given, or 587, 2525 (STARTTLS) then 465 (implicit TLS).
  std::vector<PortChoice> port_plan() const;
  smtp::SessionSettings session_settings(const PortChoice& choice) const;
  // Throws InvalidInput naming the field when the combination cannot work
  // (an implicit-TLS port with tls none, a credential without a user, ...).
  void validate() const;
};

// The API fallback SendGrid's and Postmark's SMTP hosts get without asking:
// smtp.sendgrid.net with user "apikey" (the password is the API key), and
// smtp.postmarkapp.com (user and password are the server token). Null for any
// other transport, one with a fallback or an API already, or api_fallback off.
std::shared_ptr<const Transport> provider_api_fallback(const Transport& transport);

// TLS mode a port implies: 465 and 2465 implicit TLS, every other STARTTLS.
smtp::TlsMode tls_mode_for_port(uint16_t port);
// "starttls", "implicit" or "none", as results and smtpx_probe() name the mode.
const char* tls_mode_name(smtp::TlsMode mode);
// "starttls", "tls" or "none": the mode as a port list writes it after the port
// ("465/tls"), which parse_port_choice reads back.
const char* port_tls_word(smtp::TlsMode mode);
// "587", "2465/tls", "25/starttls", "2525/none" -> a PortChoice; throws InvalidInput naming `field`.
PortChoice parse_port_choice(std::string_view text, const std::string& field);

// smtp://user:pass@host:port (STARTTLS), smtps://... (implicit TLS, 465 by
// default), smtp+plain://... (no TLS); user and password URL-decoded; query
// parameters tls_verify, cafile, timeout, helo. The HTTPS APIs as Symfony
// Mailer spells them: sendgrid+api://KEY@default, mailgun+api://KEY:DOMAIN@default,
// ses+api://ACCESS_KEY:SECRET@default?region=eu-west-1, postmark+api://TOKEN@default,
// brevo+api://KEY@default; a host other than "default" is the endpoint
// (https://host:port); query parameters region and message_stream.
// Throws InvalidInput naming "dsn".
// What the DSN does not say keeps its value in `defaults` (the host's settings):
// what it says always wins.
Transport parse_dsn(std::string_view dsn, Transport defaults = {});

// The DSN as it may be shown (phpinfo(), logs): the password and every secret
// query parameter (oauth_token) replaced by "********", split exactly as
// parse_dsn() splits it.
std::string redact_dsn(std::string_view dsn);

}  // namespace smtpx::delivery
