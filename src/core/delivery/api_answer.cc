#include "api_answer.h"

#include <algorithm>
#include <ctime>
#include <string>

#include "../api/json.h"
#include "../smtp/failure.h"

namespace smtpx::delivery {

namespace {

// Longer than any provider asks for; the outbox retries at least hourly anyway.
constexpr double kMaxRetryAfterSeconds = 86400;

// The provider's own words in an error body: SendGrid's errors[0].message,
// Postmark's Message, the others' message.
std::string provider_text(const http::Response& response) {
  const std::optional<api::json::Value> body = api::json::parse(response.body);
  // Not JSON: a short line of text says something ("Forbidden"); a page from
  // a proxy in front of the API (HTML) does not.
  if (!body) {
    const std::string text = response.body.substr(0, response.body.find_first_of("\r\n"));
    return text.size() <= 200 && text.find('<') == std::string::npos ? text : std::string();
  }
  for (const char* key : {"message", "Message", "error"})
    if (std::string text = body->string_at(key); !text.empty()) return text;
  if (const api::json::Value* errors = body->find("errors");
      errors != nullptr && errors->type == api::json::Value::Type::array && !errors->items.empty())
    return errors->items.front().string_at("message");
  return {};
}

}  // namespace

double retry_after_seconds(std::string_view value) {
  if (value.empty()) return 0;
  if (value.find_first_not_of("0123456789") == std::string_view::npos) {
    double seconds = 0;
    for (const char digit : value) {
      seconds = seconds * 10 + (digit - '0');
      if (seconds >= kMaxRetryAfterSeconds) return kMaxRetryAfterSeconds;
    }
    return seconds;
  }
  std::tm parts{};
  const std::string date(value);
  const char* end = strptime(date.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &parts);
  if (end == nullptr || *end != '\0') return 0;
  const double left = std::difftime(timegm(&parts), std::time(nullptr));
  return left > 0 ? std::min(left, kMaxRetryAfterSeconds) : 0;
}

SmtpFailure failure_of_answer(const api::Provider& provider, const http::Response& response) {
  return smtp::failure_from_http(response.status, provider_text(response), provider.name,
                                 provider.credentials_hint,
                                 retry_after_seconds(response.header("retry-after")));
}

}  // namespace smtpx::delivery
