// Base64 decoding for the tests: the core only ever encodes, so the inverse
// that checks its output lives here. CR, LF, space and tab are skipped; any
// other character outside the alphabet, or wrong padding, throws
// std::invalid_argument.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace smtpx::testing {

inline int base64_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

inline std::string base64_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size() / 4 * 3);
  unsigned group = 0;
  size_t count = 0, padding = 0;
  for (char c : text) {
    if (c == '\r' || c == '\n' || c == ' ' || c == '\t') continue;
    if (c == '=') {
      if (count < 2) throw std::invalid_argument("base64: misplaced padding");
      ++padding;
      ++count;
    } else {
      const int value = base64_value(c);
      if (value < 0) throw std::invalid_argument("base64: character outside the alphabet");
      if (padding) throw std::invalid_argument("base64: data after padding");
      group = (group << 6) | static_cast<unsigned>(value);
      ++count;
    }
    if (count == 4) {
      group <<= 6 * padding;
      out.push_back(static_cast<char>((group >> 16) & 0xFF));
      if (padding < 2) out.push_back(static_cast<char>((group >> 8) & 0xFF));
      if (padding < 1) out.push_back(static_cast<char>(group & 0xFF));
      if (padding)
        count = 5;  // nothing may follow a padded group
      else
        count = 0, group = 0;
    } else if (count > 4) {
      throw std::invalid_argument("base64: data after padding");
    }
  }
  if (count != 0 && count != 5) throw std::invalid_argument("base64: truncated input");
  return out;
}

}  // namespace smtpx::testing
