// The little JSON the provider APIs need (RFC 8259): quoting strings for the
// requests smtpx builds, and reading the answers (message ids, error texts).
// The reader takes untrusted input: bounded depth, no recursion past it, and
// a value that is not JSON is simply absent.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace smtpx::api::json {

// `text` (UTF-8) as a JSON string, quotes included; control characters escaped.
std::string quote(std::string_view text);

// {"key":value,...} from members whose values are JSON already.
class Object {
 public:
  Object& raw(std::string_view key, std::string value);
  Object& string(std::string_view key, std::string_view value);
  // Adds nothing when `value` is empty: the APIs take a missing field better than an empty one.
  Object& string_if_set(std::string_view key, std::string_view value);
  std::string text() const;
  bool empty() const { return members_.empty(); }

 private:
  std::vector<std::pair<std::string, std::string>> members_;
};

// [value,...] from values that are JSON already.
std::string array(const std::vector<std::string>& values);

struct Value {
  enum class Type { null, boolean, number, string, array, object };
  Type type = Type::null;
  bool boolean = false;
  double number = 0;
  std::string string;
  std::vector<Value> items;                            // array
  std::vector<std::pair<std::string, Value>> members;  // object, in order

  // The member named `key` of an object, or nullptr.
  const Value* find(std::string_view key) const;
  // The string member `key`, or empty when absent or not a string.
  std::string string_at(std::string_view key) const;
};

// The value `text` holds, or nothing when it is not JSON (or nests deeper than 32).
std::optional<Value> parse(std::string_view text);

}  // namespace smtpx::api::json
