#include "json.h"

#include <cstdlib>

namespace smtpx::api::json {

std::string quote(std::string_view text) {
  static const char hex[] = "0123456789abcdef";
  std::string out = "\"";
  out.reserve(text.size() + 2);
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (byte < 0x20 || byte == 0x7f) {
          out += "\\u00";
          out += hex[byte >> 4];
          out += hex[byte & 15];
        } else {
          out.push_back(c);
        }
    }
  }
  return out + "\"";
}

Object& Object::raw(std::string_view key, std::string value) {
  members_.emplace_back(std::string(key), std::move(value));
  return *this;
}

Object& Object::string(std::string_view key, std::string_view value) {
  return raw(key, quote(value));
}

Object& Object::string_if_set(std::string_view key, std::string_view value) {
  return value.empty() ? *this : string(key, value);
}

std::string Object::text() const {
  std::string out = "{";
  for (size_t i = 0; i < members_.size(); ++i) {
    if (i > 0) out += ',';
    out += quote(members_[i].first) + ':' + members_[i].second;
  }
  return out + "}";
}

std::string array(const std::vector<std::string>& values) {
  std::string out = "[";
  for (size_t i = 0; i < values.size(); ++i) out += (i > 0 ? "," : "") + values[i];
  return out + "]";
}

const Value* Value::find(std::string_view key) const {
  if (type != Type::object) return nullptr;
  for (const auto& [name, value] : members)
    if (name == key) return &value;
  return nullptr;
}

std::string Value::string_at(std::string_view key) const {
  const Value* value = find(key);
  return value != nullptr && value->type == Type::string ? value->string : std::string();
}

namespace {

constexpr int kMaxDepth = 32;

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  std::optional<Value> document() {
    Value value;
    if (!parse_value(value, 0)) return std::nullopt;
    skip_space();
    if (at_ != text_.size()) return std::nullopt;
    return value;
  }

 private:
  void skip_space() {
    while (at_ < text_.size() &&
           (text_[at_] == ' ' || text_[at_] == '\t' || text_[at_] == '\n' || text_[at_] == '\r'))
      ++at_;
  }

  bool take(char c) {
    skip_space();
    if (at_ < text_.size() && text_[at_] == c) {
      ++at_;
      return true;
    }
    return false;
  }

  bool take_word(std::string_view word) {
    if (text_.substr(at_, word.size()) != word) return false;
    at_ += word.size();
    return true;
  }

  bool parse_value(Value& value, int depth) {
    if (depth > kMaxDepth) return false;
    skip_space();
    if (at_ >= text_.size()) return false;
    const char c = text_[at_];
    if (c == '{') return parse_object(value, depth);
    if (c == '[') return parse_array(value, depth);
    if (c == '"') {
      value.type = Value::Type::string;
      return parse_string(value.string);
    }
    if (take_word("true") || take_word("false")) {
      value.type = Value::Type::boolean;
      value.boolean = c == 't';
      return true;
    }
    if (take_word("null")) return true;
    return parse_number(value);
  }

  bool parse_object(Value& value, int depth) {
    value.type = Value::Type::object;
    ++at_;
    if (take('}')) return true;
    do {
      skip_space();
      std::string key;
      if (at_ >= text_.size() || text_[at_] != '"' || !parse_string(key) || !take(':')) return false;
      Value member;
      if (!parse_value(member, depth + 1)) return false;
      value.members.emplace_back(std::move(key), std::move(member));
    } while (take(','));
    return take('}');
  }

  bool parse_array(Value& value, int depth) {
    value.type = Value::Type::array;
    ++at_;
    if (take(']')) return true;
    do {
      Value item;
      if (!parse_value(item, depth + 1)) return false;
      value.items.push_back(std::move(item));
    } while (take(','));
    return take(']');
  }

  bool parse_number(Value& value) {
    const size_t start = at_;
    while (at_ < text_.size() &&
           std::string_view("+-0123456789.eE").find(text_[at_]) != std::string_view::npos)
      ++at_;
    if (at_ == start) return false;
    const std::string digits(text_.substr(start, at_ - start));
    char* end = nullptr;
    value.number = std::strtod(digits.c_str(), &end);
    value.type = Value::Type::number;
    return end == digits.c_str() + digits.size();
  }

  bool parse_hex4(unsigned& code) {
    if (at_ + 4 > text_.size()) return false;
    code = 0;
    for (int i = 0; i < 4; ++i) {
      const char c = text_[at_++];
      code <<= 4;
      if (c >= '0' && c <= '9')
        code |= static_cast<unsigned>(c - '0');
      else if (c >= 'a' && c <= 'f')
        code |= static_cast<unsigned>(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F')
        code |= static_cast<unsigned>(c - 'A' + 10);
      else
        return false;
    }
    return true;
  }

  static void append_utf8(std::string& out, unsigned code) {
    if (code < 0x80) {
      out.push_back(static_cast<char>(code));
    } else if (code < 0x800) {
      out.push_back(static_cast<char>(0xc0 | (code >> 6)));
      out.push_back(static_cast<char>(0x80 | (code & 0x3f)));
    } else if (code < 0x10000) {
      out.push_back(static_cast<char>(0xe0 | (code >> 12)));
      out.push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3f)));
      out.push_back(static_cast<char>(0x80 | (code & 0x3f)));
    } else {
      out.push_back(static_cast<char>(0xf0 | (code >> 18)));
      out.push_back(static_cast<char>(0x80 | ((code >> 12) & 0x3f)));
      out.push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3f)));
      out.push_back(static_cast<char>(0x80 | (code & 0x3f)));
    }
  }

  bool parse_escape(std::string& out) {
    if (at_ >= text_.size()) return false;
    const char c = text_[at_++];
    switch (c) {
      case '"':
      case '\\':
      case '/':
        out.push_back(c);
        return true;
      case 'b':
        out.push_back('\b');
        return true;
      case 'f':
        out.push_back('\f');
        return true;
      case 'n':
        out.push_back('\n');
        return true;
      case 'r':
        out.push_back('\r');
        return true;
      case 't':
        out.push_back('\t');
        return true;
      case 'u': {
        unsigned code = 0;
        if (!parse_hex4(code)) return false;
        // A surrogate pair (RFC 8259 7) makes one code point; a lone half is U+FFFD.
        if (code >= 0xd800 && code < 0xdc00 && text_.substr(at_, 2) == "\\u") {
          const size_t saved = at_;
          at_ += 2;
          unsigned low = 0;
          if (parse_hex4(low) && low >= 0xdc00 && low < 0xe000) {
            code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
          } else {
            at_ = saved;
            code = 0xfffd;
          }
        } else if (code >= 0xd800 && code < 0xe000) {
          code = 0xfffd;
        }
        append_utf8(out, code);
        return true;
      }
      default:
        return false;
    }
  }

  bool parse_string(std::string& out) {
    ++at_;  // the opening quote
    while (at_ < text_.size()) {
      const char c = text_[at_++];
      if (c == '"') return true;
      if (c == '\\') {
        if (!parse_escape(out)) return false;
      } else if (static_cast<unsigned char>(c) < 0x20) {
        return false;
      } else {
        out.push_back(c);
      }
    }
    return false;
  }

  std::string_view text_;
  size_t at_ = 0;
};

}  // namespace

std::optional<Value> parse(std::string_view text) {
  return Parser(text).document();
}

}  // namespace smtpx::api::json
