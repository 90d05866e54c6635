// The providers' HTTPS mail APIs, as data: how each is addressed and
// authenticated, what it can carry, how a message becomes its request, and
// where its answer keeps the message id. Symfony Mailer's DSN schemes name
// them ("sendgrid+api"), so PHP developers already know the spelling.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "../http/https_client.h"
#include "../message.h"

namespace smtpx::api {

struct ApiSettings {
  std::string name;            // "sendgrid", "mailgun", "ses", "postmark", "brevo"; empty: SMTP
  std::string key;             // the API key, token or SES access key id
  std::string secret;          // SES: the secret access key
  std::string domain;          // Mailgun: the sending domain
  std::string region;          // "eu" (SendGrid, Mailgun), an AWS region (SES)
  std::string endpoint;        // base URL instead of the provider's: a proxy, an EU host, tests
  std::string message_stream;  // Postmark
  bool empty() const { return name.empty(); }
};

// What goes out: the message as the caller described it (JSON APIs) or the
// MIME bytes (raw APIs), and the envelope.
struct Outgoing {
  const Message* message = nullptr;  // null for smtpx_send_raw()
  std::string_view mime;             // the composed or the caller's bytes (raw APIs)
  std::string envelope_from;
  std::vector<std::string> recipients;
};

struct Provider {
  std::string_view name;
  bool takes_raw_mime;                // Mailgun and SES take the bytes smtpx composes; the others JSON
  size_t max_bytes;                   // the largest request the API takes
  size_t max_recipients;              // 0: no limit that matters
  std::string_view credentials_hint;  // what a 401/403 means for this provider
  // Throws InvalidInput naming the field the API cannot carry.
  http::Request (*build)(const ApiSettings& settings, const Outgoing& outgoing);
  std::string (*message_id)(const http::Response& response);
};

// The provider called `name`, or nullptr.
const Provider* provider_named(std::string_view name);
// "sendgrid, mailgun, ses, postmark, brevo" (each followed by `suffix`), for messages.
std::string provider_names(std::string_view suffix = {});

}  // namespace smtpx::api
