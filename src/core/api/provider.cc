#include "provider.h"

#include "calls.h"
#include "json.h"

namespace smtpx::api {

namespace {

constexpr size_t kMegabyte = 1000 * 1000;

// Limits as each provider's API reference gives them.
const Provider providers[] = {
    {"sendgrid", false, 30 * kMegabyte, 1000,
     "SendGrid wants an API key with the Mail Send permission as api_key.", sendgrid_request,
     sendgrid_message_id},
    {"mailgun", true, 25 * kMegabyte, 1000,
     "Mailgun wants the account's private API key as api_key and the sending domain as registered (domain); "
     "accounts in the EU need region eu.",
     mailgun_request, mailgun_message_id},
    {"ses", true, 40 * kMegabyte, 50,
     "Amazon SES wants an access key id (api_key) and its secret (secret) allowed to ses:SendEmail in this "
     "region.",
     ses_request, ses_message_id},
    {"postmark", false, 10 * kMegabyte, 50,
     "Postmark wants a Server API token as api_key, not the account token.", postmark_request,
     postmark_message_id},
    {"brevo", false, 0, 0,
     "Brevo wants an API key (xkeysib-...) from \"SMTP & API\" as api_key, not the SMTP key.", brevo_request,
     brevo_message_id},
};

}  // namespace

const Provider* provider_named(std::string_view name) {
  for (const Provider& provider : providers)
    if (provider.name == name) return &provider;
  return nullptr;
}

std::string provider_names(std::string_view suffix) {
  std::string names;
  for (const Provider& provider : providers)
    names += (names.empty() ? "" : ", ") + std::string(provider.name) + std::string(suffix);
  return names;
}

std::string base_url(const ApiSettings& settings, std::string_view standard) {
  std::string url = settings.endpoint.empty() ? std::string(standard) : settings.endpoint;
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

std::string body_string(const http::Response& response, std::string_view key) {
  const std::optional<json::Value> body = json::parse(response.body);
  return body ? body->string_at(key) : std::string();
}

}  // namespace smtpx::api
