#include "transport.h"

#include <unistd.h>

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <utility>

#include "../error.h"

namespace smtpx::delivery {

smtp::TlsMode tls_mode_for_port(uint16_t port) {
  // RFC 8314 7.3: 465 is submission over implicit TLS; 2465 is its common alternative (Amazon SES).
  return port == 465 || port == 2465 ? smtp::TlsMode::implicit : smtp::TlsMode::starttls;
}

namespace {

bool has_control(std::string_view text) {
  for (unsigned char c : text)
    if (c < 0x20 || c == 0x7f) return true;
  return false;
}

uint16_t parse_port(std::string_view text, const std::string& field) {
  if (text.empty() || text.size() > 5) throw InvalidInput(field, "a port is a number from 1 to 65535");
  unsigned long value = 0;
  for (char c : text) {
    if (!std::isdigit(static_cast<unsigned char>(c)))
      throw InvalidInput(field, "a port is a number from 1 to 65535");
    value = value * 10 + static_cast<unsigned long>(c - '0');
  }
  if (value == 0 || value > 65535) throw InvalidInput(field, "a port is a number from 1 to 65535");
  return static_cast<uint16_t>(value);
}

double parse_seconds(std::string_view text, const std::string& field) {
  const std::string copy(text);
  char* end = nullptr;
  const double value = std::strtod(copy.c_str(), &end);
  if (copy.empty() || *end != '\0' || !std::isfinite(value) || value <= 0)
    throw InvalidInput(field, "must be a number of seconds greater than 0");
  return value;
}

bool parse_flag(std::string_view text, const std::string& field) {
  if (text == "1" || text == "true" || text == "yes" || text == "on") return true;
  if (text == "0" || text == "false" || text == "no" || text == "off") return false;
  throw InvalidInput(field, "must be true or false");
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string percent_decode(std::string_view text, const std::string& field) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out.push_back(text[i]);
      continue;
    }
    const int high = i + 2 < text.size() ? hex_value(text[i + 1]) : -1;
    const int low = i + 2 < text.size() ? hex_value(text[i + 2]) : -1;
    if (high < 0 || low < 0) throw InvalidInput(field, "has a '%' that is not followed by two hex digits");
    out.push_back(static_cast<char>(high * 16 + low));
    i += 2;
  }
  return out;
}

}  // namespace

PortChoice parse_port_choice(std::string_view text, const std::string& field) {
  const size_t slash = text.find('/');
  PortChoice choice;
  choice.port = parse_port(text.substr(0, slash), field);
  choice.tls = tls_mode_for_port(choice.port);
  if (slash == std::string_view::npos) return choice;
  const std::string_view mode = text.substr(slash + 1);
  if (mode == "tls" || mode == "ssl" || mode == "implicit")
    choice.tls = smtp::TlsMode::implicit;
  else if (mode == "starttls")
    choice.tls = smtp::TlsMode::starttls;
  else if (mode == "none")
    choice.tls = smtp::TlsMode::none;
  else
    throw InvalidInput(field, "the TLS mode after '/' must be tls, starttls or none");
  return choice;
}

std::vector<PortChoice> Transport::port_plan() const {
  std::vector<PortChoice> plan = ports;
  if (plan.empty()) {
    // Submission first (RFC 6409), its common alternative, then implicit TLS (RFC 8314).
    plan = {{587, smtp::TlsMode::starttls}, {2525, smtp::TlsMode::starttls}};
    if (tls_required) plan.push_back({465, smtp::TlsMode::implicit});
  }
  if (!tls_required)
    for (PortChoice& choice : plan) choice.tls = smtp::TlsMode::none;
  return plan;
}

smtp::SessionSettings Transport::session_settings(const PortChoice& choice) const {
  smtp::SessionSettings settings;
  settings.host = host;
  settings.port = choice.port;
  settings.tls = choice.tls;
  settings.tls_settings.verify = tls_verify;
  settings.tls_settings.cafile = cafile;
  settings.tls_settings.server_name = host;
  settings.credentials = credentials;
  settings.helo = helo;
  settings.connect_timeout = connect_timeout;
  settings.reply_timeout = reply_timeout;
  settings.debug = debug;
  return settings;
}

namespace {

// What each API needs before anything is sent; the fields as the array form names them.
void validate_api(const api::ApiSettings& api) {
  const api::Provider* provider = api::provider_named(api.name);
  if (provider == nullptr)
    throw InvalidInput("transport.api",
                       "unknown API '" + printable(api.name) + "'; known: " + api::provider_names());
  if (api.key.empty()) throw InvalidInput("transport.api_key", "is required for the " + api.name + " API");
  if (has_control(api.key) || has_control(api.secret))
    throw InvalidInput("transport.api_key", "must not contain control characters");
  if (api.name == "mailgun" && api.domain.empty())
    throw InvalidInput("transport.domain",
                       "is required for Mailgun: the sending domain, e.g. mg.example.com");
  if (api.domain.find_first_of("/?#") != std::string::npos || has_control(api.domain))
    throw InvalidInput("transport.domain", "must be a domain name");
  if (api.name == "ses" && api.secret.empty())
    throw InvalidInput("transport.secret", "is required for SES: the secret access key");
  if (api.name == "ses" && api.region.empty())
    throw InvalidInput("transport.region", "is required for SES, e.g. eu-west-1");
  if (api.region.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-") != std::string::npos)
    throw InvalidInput("transport.region", "must be a region name such as eu, us or eu-west-1");
  if (!api.endpoint.empty() && (api.endpoint.compare(0, 8, "https://") != 0 || has_control(api.endpoint)))
    throw InvalidInput("transport.api_endpoint",
                       "must be an https:// URL: API keys never travel in clear text");
  if (has_control(api.message_stream)) throw InvalidInput("transport.message_stream", "must be a stream id");
}

}  // namespace

std::shared_ptr<const Transport> provider_api_fallback(const Transport& transport) {
  if (!transport.api_fallback || transport.fallback || !transport.api.empty()) return nullptr;
  const smtp::Credentials& credentials = transport.credentials;
  api::ApiSettings api;
  if (transport.host == "smtp.sendgrid.net" && credentials.username == "apikey" &&
      !credentials.password.empty()) {
    api.name = "sendgrid";
    api.key = credentials.password;
  } else if (transport.host == "smtp.postmarkapp.com" && !credentials.password.empty()) {
    api.name = "postmark";
    api.key = credentials.password;
  } else {
    return nullptr;
  }
  auto fallback = std::make_shared<Transport>(transport);
  fallback->api = std::move(api);
  fallback->credentials = {};
  fallback->ports = {};
  return fallback;
}

void Transport::validate() const {
  if (!api.empty()) validate_api(api);
  if (!oauth.empty()) {
    oauth::validate(oauth);
    if (credentials.username.empty())
      throw InvalidInput("transport.username", "is required with oauth: the mailbox the token is for");
  }
  if (fallback) fallback->validate();
  if (host.empty())
    throw InvalidInput("transport.host", "is empty: name the SMTP server, e.g. smtp.example.com");
  if (host.size() > 253 || has_control(host) || host.find(' ') != std::string::npos)
    throw InvalidInput("transport.host", "is not a host name or IP address");
  if (!tls_required) {
    for (const PortChoice& choice : ports) {
      if (choice.tls == smtp::TlsMode::implicit)
        throw InvalidInput(
            "transport.tls",
            "'none' cannot be used with port " + std::to_string(choice.port) +
                ", which speaks TLS from the first byte: use port 587 or 25, or tls 'required'");
    }
  } else {
    for (const PortChoice& choice : ports) {
      if (choice.tls == smtp::TlsMode::none)
        throw InvalidInput("transport.ports", "port " + std::to_string(choice.port) +
                                                  "/none needs tls => 'none' as well, so clear text is a "
                                                  "choice made in one place");
    }
  }
  if (!(timeout > 0) || !(connect_timeout > 0) || !(reply_timeout > 0) || !std::isfinite(timeout) ||
      !std::isfinite(connect_timeout) || !std::isfinite(reply_timeout))
    throw InvalidInput("transport.timeout", "must be a number of seconds greater than 0");
  if (!(stagger >= 0) || !std::isfinite(stagger))
    throw InvalidInput("transport.stagger", "must be a number of seconds, 0 or more");
  if (!(pool.idle > 0) || !std::isfinite(pool.idle))
    throw InvalidInput("transport.pool_idle", "must be a number of seconds greater than 0");
  if (!(pool.max_age > 0) || !std::isfinite(pool.max_age))
    throw InvalidInput("transport.pool_max_age", "must be a number of seconds greater than 0");
  if (pool.max_messages == 0) throw InvalidInput("transport.pool_max_messages", "must be 1 or more");
  if (has_control(helo) || helo.find(' ') != std::string::npos)
    throw InvalidInput("transport.helo", "must be one host name or address literal, without spaces");
  if (credentials.username.empty() && oauth.empty() &&
      (!credentials.password.empty() || !credentials.oauth_token.empty()))
    throw InvalidInput("transport.username", "is required with a password or an oauth_token");
  // RFC 4616: PLAIN separates its fields with NUL, so none may hold one.
  if (credentials.username.find('\0') != std::string::npos)
    throw InvalidInput("transport.username", "must not contain a NUL byte");
  if (credentials.password.find('\0') != std::string::npos)
    throw InvalidInput("transport.password", "must not contain a NUL byte");
  if (has_control(credentials.oauth_token))
    throw InvalidInput("transport.oauth_token", "must not contain control characters");
  if (!cafile.empty() && access(cafile.c_str(), R_OK) != 0)
    throw InvalidInput("transport.cafile",
                       "cannot read " + cafile + ": give the path of a PEM file of CA certificates");
}

namespace {

// Where the parts of "scheme://user:password@host:port?query" are, as offsets
// into the DSN (npos when a part is absent).
struct DsnParts {
  size_t authority = std::string_view::npos;  // after "://"
  size_t at = std::string_view::npos;         // the '@' that ends the credentials
  size_t password = std::string_view::npos;   // after the ':' of the credentials
  size_t query = std::string_view::npos;      // after the '?'
};

// The last '@' of the DSN ends the credentials, before the query is looked
// for: users paste passwords holding a raw '?', '/' or '@', and a user name
// such as "postmaster@mg.example.com" is often left unencoded, while no
// parameter value needs an '@'. So no part of a password is ever read as a
// parameter (and echoed in an error message).
DsnParts split_dsn(std::string_view dsn) {
  DsnParts parts;
  const size_t scheme_end = dsn.find("://");
  if (scheme_end == std::string_view::npos) return parts;
  parts.authority = scheme_end + 3;
  const size_t at = dsn.rfind('@');
  if (at != std::string_view::npos && at >= parts.authority) {
    parts.at = at;
    const size_t colon = dsn.find(':', parts.authority);
    if (colon < at) parts.password = colon + 1;
  }
  const size_t host = parts.at == std::string_view::npos ? parts.authority : parts.at + 1;
  if (const size_t q = dsn.find('?', host); q != std::string_view::npos) parts.query = q + 1;
  return parts;
}

// "sendgrid" for "sendgrid+api", or empty when the scheme names no API.
std::string api_of_scheme(std::string_view scheme) {
  constexpr std::string_view suffix = "+api";
  if (scheme.size() <= suffix.size() || scheme.substr(scheme.size() - suffix.size()) != suffix) return {};
  return std::string(scheme.substr(0, scheme.size() - suffix.size()));
}

std::string api_schemes() {
  return api::provider_names("+api");
}

// The DSN's user and password are the API's secrets; "default" stands for
// the provider's own host.
void set_api(Transport& transport, const std::string& api, std::string_view port_text) {
  if (api::provider_named(api) == nullptr)
    throw InvalidInput("dsn", "the scheme must be smtp, smtps, smtp+plain or an API (" + api_schemes() + ")");
  transport.api.name = api;
  transport.api.key = std::move(transport.credentials.username);
  std::string second = std::move(transport.credentials.password);
  transport.credentials = {};
  if (api == "mailgun")
    transport.api.domain = std::move(second);
  else if (api == "ses")
    transport.api.secret = std::move(second);
  if (transport.host != "default") {
    const bool ipv6 = transport.host.find(':') != std::string::npos;
    transport.api.endpoint = "https://" + (ipv6 ? "[" + transport.host + "]" : transport.host) +
                             (port_text.empty() ? "" : ":" + std::string(port_text));
  }
}

// Query parameters whose value is a credential.
bool is_secret_parameter(std::string_view key) {
  return key == "oauth_token";
}

// Calls visit(key, value) for each "key=value" of a query, in order, both as
// written (views into `query`, not decoded). A key without "=" has a value
// whose data() is null, which an empty value after "=" has not.
template <class Visit>
void each_parameter(std::string_view query, Visit&& visit) {
  while (!query.empty()) {
    const size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    const size_t eq = pair.find('=');
    visit(pair.substr(0, eq), eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1));
  }
}

}  // namespace

std::string redact_dsn(std::string_view dsn) {
  const DsnParts parts = split_dsn(dsn);
  std::string shown;
  size_t copied = 0;  // dsn up to here is in `shown`
  const auto mask = [&](size_t begin, size_t end) {
    shown.append(dsn.substr(copied, begin - copied)).append("********");
    copied = end;
  };
  // An API's DSN carries its key where SMTP has the user name.
  const bool api =
      parts.authority != std::string_view::npos && !api_of_scheme(dsn.substr(0, parts.authority - 3)).empty();
  if (api && parts.at != std::string_view::npos)
    mask(parts.authority, parts.password == std::string_view::npos ? parts.at : parts.password - 1);
  if (parts.password != std::string_view::npos) mask(parts.password, parts.at);
  if (parts.query != std::string_view::npos) {
    each_parameter(dsn.substr(parts.query), [&](std::string_view key, std::string_view value) {
      if (value.data() != nullptr && is_secret_parameter(key)) {
        const auto begin = static_cast<size_t>(value.data() - dsn.data());
        mask(begin, begin + value.size());
      }
    });
  }
  return shown.append(dsn.substr(copied));
}

Transport parse_dsn(std::string_view dsn, Transport defaults) {
  Transport transport = std::move(defaults);
  const DsnParts parts = split_dsn(dsn);
  if (parts.authority == std::string_view::npos)
    throw InvalidInput("dsn",
                       "must look like smtp://user:password@host:587 or smtps://user:password@host:465");
  const std::string_view scheme = dsn.substr(0, parts.authority - 3);
  const size_t host_start = parts.at == std::string_view::npos ? parts.authority : parts.at + 1;
  const size_t host_end = parts.query == std::string_view::npos ? dsn.size() : parts.query - 1;
  std::string_view rest = dsn.substr(host_start, host_end - host_start);
  std::string_view query =
      parts.query == std::string_view::npos ? std::string_view{} : dsn.substr(parts.query);
  if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);

  if (parts.at != std::string_view::npos) {
    const size_t user_end = parts.password == std::string_view::npos ? parts.at : parts.password - 1;
    transport.credentials.username =
        percent_decode(dsn.substr(parts.authority, user_end - parts.authority), "dsn.user");
    if (parts.password != std::string_view::npos)
      transport.credentials.password =
          percent_decode(dsn.substr(parts.password, parts.at - parts.password), "dsn.password");
  }

  std::string_view port_text;
  if (!rest.empty() && rest.front() == '[') {  // an IPv6 literal: [::1]:587
    const size_t close = rest.find(']');
    if (close == std::string_view::npos) throw InvalidInput("dsn.host", "has '[' without ']'");
    transport.host = std::string(rest.substr(1, close - 1));
    rest = rest.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') throw InvalidInput("dsn.host", "has text after ']'");
      port_text = rest.substr(1);
    }
  } else {
    const size_t colon = rest.rfind(':');
    transport.host = std::string(rest.substr(0, colon));
    if (colon != std::string_view::npos) port_text = rest.substr(colon + 1);
  }

  const std::string api = api_of_scheme(scheme);
  if (!api.empty()) {
    set_api(transport, api, port_text);
  } else if (scheme == "smtp") {
    if (!port_text.empty()) transport.ports = {parse_port_choice(port_text, "dsn.port")};
  } else if (scheme == "smtps") {
    transport.ports = {
        {port_text.empty() ? uint16_t{465} : parse_port(port_text, "dsn.port"), smtp::TlsMode::implicit}};
  } else if (scheme == "smtp+plain") {
    transport.tls_required = false;
    if (!port_text.empty()) transport.ports = {{parse_port(port_text, "dsn.port"), smtp::TlsMode::none}};
  } else {
    throw InvalidInput("dsn", "the scheme must be smtp, smtps, smtp+plain or an API (" + api_schemes() + ")");
  }

  each_parameter(query, [&](std::string_view name, std::string_view raw_value) {
    const std::string key(name);
    const std::string field = "dsn." + key;
    const std::string value = percent_decode(raw_value, field);
    if (key == "tls_verify")
      transport.tls_verify = parse_flag(value, field);
    else if (key == "cafile")
      transport.cafile = value;
    else if (key == "timeout")
      transport.timeout = parse_seconds(value, field);
    else if (key == "connect_timeout")
      transport.connect_timeout = parse_seconds(value, field);
    else if (key == "reply_timeout")
      transport.reply_timeout = parse_seconds(value, field);
    else if (key == "helo")
      transport.helo = value;
    else if (key == "debug")
      transport.debug = parse_flag(value, field);
    else if (key == "oauth_token")
      transport.credentials.oauth_token = value;
    else if (key == "api_fallback")
      transport.api_fallback = parse_flag(value, field);
    else if (key == "region" && !api.empty())
      transport.api.region = value;
    else if (key == "message_stream" && api == "postmark")
      transport.api.message_stream = value;
    else
      throw InvalidInput("dsn", "unknown parameter '" + key +
                                    "'; known: tls_verify, cafile, timeout, "
                                    "connect_timeout, reply_timeout, helo, debug, oauth_token, api_fallback" +
                                    (api.empty() ? "" : ", region") +
                                    (api == "postmark" ? ", message_stream" : ""));
  });
  transport.validate();
  return transport;
}

}  // namespace smtpx::delivery
