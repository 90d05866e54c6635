// DSN and port parsing (src/core/delivery/transport.*) on any smtpx.dsn or
// port text a user may write, SMTP and API ("sendgrid+api://KEY@default") alike. Properties: only
// InvalidInput is thrown, naming a dsn field; an accepted DSN is a transport that validates; redact_dsn()
// keeps the DSN's meaning with every secret replaced ("********" reads back as the password and token,
// everything else as before); no refusal quotes a secret (a password or token text shows in an error only if
// it shows in the error for the redacted DSN too); a port choice reads back from its own spelling.
#include <algorithm>
#include <string>

#include "core/delivery/transport.h"
#include "core/error.h"
#include "properties.h"

namespace smtpx::fuzz {
namespace {

using delivery::Transport;

constexpr char kMask[] = "********";

struct Parsed {
  std::optional<Transport> transport;
  std::string error;  // what() of the refusal
};

Parsed parse(std::string_view dsn) {
  Parsed parsed;
  try {
    parsed.transport = delivery::parse_dsn(dsn);
    parsed.transport->validate();
  } catch (const InvalidInput& error) {
    require(error.field().rfind("dsn", 0) == 0 || error.field().rfind("transport.", 0) == 0,
            "a refusal names a dsn or transport field");
    parsed.error = error.what();
  }
  return parsed;
}

// The raw text of the password and of every oauth_token value, found the way
// the DSN's documentation describes it: the credentials end at the last '@'; the
// password follows their first ':'; parameters follow the first '?' after them.
std::vector<std::string_view> secrets_of(std::string_view dsn) {
  std::vector<std::string_view> secrets;
  const size_t scheme = dsn.find("://");
  if (scheme == std::string_view::npos) return secrets;
  const size_t authority = scheme + 3;
  const size_t at = dsn.rfind('@');
  size_t host = authority;
  // An API's DSN ("sendgrid+api://KEY@default") carries its key where SMTP has the user name.
  const bool api = scheme > 4 && dsn.substr(scheme - 4, 4) == "+api";
  if (at != std::string_view::npos && at >= authority) {
    host = at + 1;
    const size_t colon = dsn.find(':', authority);
    if (api) secrets.push_back(dsn.substr(authority, std::min(colon, at) - authority));
    if (colon < at) secrets.push_back(dsn.substr(colon + 1, at - colon - 1));
  }
  const size_t query = dsn.find('?', host);
  if (query == std::string_view::npos) return secrets;
  std::string_view rest = dsn.substr(query + 1);
  while (!rest.empty()) {
    const size_t amp = rest.find('&');
    const std::string_view pair = rest.substr(0, amp);
    if (pair.rfind("oauth_token=", 0) == 0) secrets.push_back(pair.substr(12));
    if (amp == std::string_view::npos) break;
    rest.remove_prefix(amp + 1);
  }
  return secrets;
}

// `text` with each letter and digit replaced by another of its kind (hex digits
// by hex digits), so it parses alike and reads differently.
std::string twin(std::string_view text) {
  std::string out(text);
  const auto rotate = [](char& c, char first, char last) {
    if (c >= first && c <= last) c = c == last ? first : static_cast<char>(c + 1);
  };
  for (char& c : out) {
    const char original = c;
    for (auto [first, last] : {std::pair{'0', '9'}, {'a', 'f'}, {'g', 'z'}, {'A', 'F'}, {'G', 'Z'}})
      if (c == original) rotate(c, first, last);
  }
  return out;
}

void check_same_but_secrets(const Transport& original, const Transport& redacted) {
  if (!original.api.empty()) {
    require(redacted.api.name == original.api.name && redacted.api.endpoint == original.api.endpoint &&
                redacted.api.key == kMask,
            "the redacted DSN names the same API, its key masked");
    return;
  }
  require(redacted.host == original.host && redacted.credentials.username == original.credentials.username &&
              redacted.tls_required == original.tls_required && redacted.tls_verify == original.tls_verify &&
              redacted.cafile == original.cafile && redacted.helo == original.helo &&
              redacted.timeout == original.timeout && redacted.connect_timeout == original.connect_timeout &&
              redacted.reply_timeout == original.reply_timeout && redacted.debug == original.debug &&
              redacted.ports.size() == original.ports.size(),
          "the redacted DSN means what the DSN means");
  for (size_t i = 0; i < original.ports.size(); ++i)
    require(
        redacted.ports[i].port == original.ports[i].port && redacted.ports[i].tls == original.ports[i].tls,
        "the redacted DSN has the same ports");
  require(original.credentials.password.empty()
              ? redacted.credentials.password.empty() || redacted.credentials.password == kMask
              : redacted.credentials.password == kMask,
          "the password is masked");
  require(original.credentials.oauth_token.empty()
              ? redacted.credentials.oauth_token.empty() || redacted.credentials.oauth_token == kMask
              : redacted.credentials.oauth_token == kMask,
          "the token is masked");
}

void check_port_choice(std::string_view text) {
  try {
    const delivery::PortChoice choice = delivery::parse_port_choice(text, "ports[0]");
    require(choice.port >= 1, "a port is at least 1");
    const char* mode = choice.tls == smtp::TlsMode::implicit ? "tls"
                       : choice.tls == smtp::TlsMode::none   ? "none"
                                                             : "starttls";
    const delivery::PortChoice again =
        delivery::parse_port_choice(std::to_string(choice.port) + "/" + mode, "ports[0]");
    require(again.port == choice.port && again.tls == choice.tls,
            "a port choice reads back from its spelling");
  } catch (const InvalidInput& error) {
    require(error.field() == "ports[0]", "a port refusal names its field");
  }
}

}  // namespace
}  // namespace smtpx::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace smtpx::fuzz;
  const std::string dsn(reinterpret_cast<const char*>(data), size);
  check_port_choice(dsn);
  const Parsed original = parse(dsn);
  const std::string redacted_text = smtpx::delivery::redact_dsn(dsn);
  const Parsed redacted = parse(redacted_text);
  const std::vector<std::string_view> secrets = secrets_of(dsn);
  std::string expected;  // the DSN with each secret's text replaced by the mask
  size_t copied = 0;
  for (std::string_view secret : secrets) {
    const auto begin = static_cast<size_t>(secret.data() - dsn.data());
    expected.append(dsn, copied, begin - copied).append(kMask);
    copied = begin + secret.size();
  }
  expected.append(dsn, copied);
  require(redacted_text == expected, "redact_dsn() masks the password and every oauth_token, nothing else");
  // A message that quotes a secret quotes it whatever it is: the twin DSN, its
  // secrets changed letter by letter, gets the twin secrets quoted. Text a
  // message holds anyway ("password" in "dsn.password") is not changed there.
  std::string twin_dsn = dsn;
  for (std::string_view secret : secrets) {
    const auto begin = static_cast<size_t>(secret.data() - dsn.data());
    twin_dsn.replace(begin, secret.size(), twin(secret));
  }
  const Parsed twin_parsed = parse(twin_dsn);
  for (std::string_view secret : secrets) {
    const std::string other = twin(secret);
    // A letter or two is in any message ("t" in "transport") and in its twin too.
    if (secret.size() < 4 || other == secret) continue;
    require(original.error.find(secret) == std::string::npos ||
                twin_parsed.error.find(other) == std::string::npos,
            "no refusal quotes a secret");
  }
  if (!original.transport) return 0;
  // Masking may add a token where an empty one stood, which then needs a user name.
  if (!redacted.transport) {
    require(original.transport->credentials.username.empty() &&
                redacted.error.find("transport.username") != std::string::npos,
            "the redacted DSN of an accepted DSN is accepted");
    return 0;
  }
  check_same_but_secrets(*original.transport, *redacted.transport);
  return 0;
}
