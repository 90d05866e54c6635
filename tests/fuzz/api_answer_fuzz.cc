// The providers' answers (src/core/api/json.*, each provider's message id,
// src/core/delivery/api_answer.*) on any bytes a server or a proxy in front of
// it may write. The input is a status (two bytes), header lines up to an empty
// line, then the body. Properties: what the JSON reader accepts, written out
// again with json::quote(), reads back as the same value; any text quoted by
// json::quote() reads back as itself; a refusal's message is one printable line
// of bounded length, UTF-8 when the answer was, transient exactly for 429 and 5xx, and its Retry-After
// delay is a number of seconds between 0 and a day; a message id is never
// longer than the answer it came from.
#include <cmath>
#include <cstdio>
#include <string>

#include "core/api/json.h"
#include "core/api/provider.h"
#include "core/delivery/api_answer.h"
#include "core/text/utf8.h"
#include "properties.h"

namespace smtpx::fuzz {
namespace {

using api::json::Value;

// The value as JSON: strings through json::quote(), numbers exactly.
std::string written(const Value& value) {
  switch (value.type) {
    case Value::Type::null:
      return "null";
    case Value::Type::boolean:
      return value.boolean ? "true" : "false";
    case Value::Type::number: {
      if (std::isinf(value.number)) return value.number > 0 ? "1e999" : "-1e999";
      char digits[64];
      std::snprintf(digits, sizeof digits, "%.17g", value.number);
      return digits;
    }
    case Value::Type::string:
      return api::json::quote(value.string);
    case Value::Type::array: {
      std::vector<std::string> items;
      for (const Value& item : value.items) items.push_back(written(item));
      return api::json::array(items);
    }
    case Value::Type::object: {
      api::json::Object object;
      for (const auto& [key, member] : value.members) object.raw(key, written(member));
      return object.text();
    }
  }
  return {};
}

bool same(const Value& a, const Value& b) {
  if (a.type != b.type || a.boolean != b.boolean || a.string != b.string ||
      a.items.size() != b.items.size() || a.members.size() != b.members.size())
    return false;
  if (a.type == Value::Type::number && a.number != b.number) return false;
  for (size_t i = 0; i < a.items.size(); ++i)
    if (!same(a.items[i], b.items[i])) return false;
  for (size_t i = 0; i < a.members.size(); ++i)
    if (a.members[i].first != b.members[i].first || !same(a.members[i].second, b.members[i].second))
      return false;
  return true;
}

http::Response answer_of(std::string_view input) {
  http::Response response;
  response.status =
      100 + (input.size() >= 2
                 ? (static_cast<unsigned char>(input[0]) * 256 + static_cast<unsigned char>(input[1])) % 500
                 : 0);
  input.remove_prefix(std::min<size_t>(2, input.size()));
  while (!input.empty()) {
    const size_t end = input.find('\n');
    const std::string_view line = input.substr(0, end);
    input.remove_prefix(end == std::string_view::npos ? input.size() : end + 1);
    if (line.empty()) break;
    const size_t colon = line.find(':');
    response.headers.emplace_back(
        std::string(line.substr(0, colon)),
        colon == std::string_view::npos ? std::string() : std::string(line.substr(colon + 1)));
  }
  response.body = std::string(input);
  return response;
}

}  // namespace
}  // namespace smtpx::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace smtpx;
  using fuzz::require;
  const std::string_view input(reinterpret_cast<const char*>(data), size);

  if (const std::optional<api::json::Value> value = api::json::parse(input)) {
    const std::optional<api::json::Value> again = api::json::parse(fuzz::written(*value));
    require(again && fuzz::same(*value, *again), "what the reader accepts, written out, reads back the same");
  }
  const std::optional<api::json::Value> quoted = api::json::parse(api::json::quote(input));
  require(quoted && quoted->type == api::json::Value::Type::string && quoted->string == input,
          "json::quote() reads back as the text it quoted");

  const http::Response response = fuzz::answer_of(input);
  const double delay = delivery::retry_after_seconds(response.header("retry-after"));
  require(delay >= 0 && delay <= 86400, "Retry-After is 0 to a day");
  for (const std::string_view name : {"sendgrid", "mailgun", "ses", "postmark", "brevo"}) {
    const api::Provider& provider = *api::provider_named(name);
    require(provider.message_id(response).size() <= size, "a message id is no longer than the answer");
    if (response.status >= 200 && response.status <= 299) continue;
    const SmtpFailure failure = delivery::failure_of_answer(provider, response);
    require(failure.message.find_first_of("\r\n") == std::string::npos, "a refusal's message is one line");
    // 500 bytes of the provider's words, each written as at most 4 (\xNN), and smtpx's own.
    require(failure.message.size() <= 2300, "a refusal's message is bounded");
    require(!text::is_valid_utf8(response.body) || text::is_valid_utf8(failure.message),
            "the provider's UTF-8 stays UTF-8 in the message (cut on a character boundary)");
    require(failure.transient == (response.status == 429 || response.status >= 500),
            "transient exactly for 429 and 5xx");
    require(failure.retry_after == (failure.transient ? delay : 0),
            "only a transient refusal carries its delay");
  }
  return 0;
}
