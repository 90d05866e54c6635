// Bytes as hexadecimal digits, and back. Inline: the quoted-printable encoder
// calls append_hex for every byte it escapes.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace smtpx::text {

// Lowercase for what people read or compare (digests, random tokens, \xNN
// escapes); uppercase where the encoding demands it (RFC 2045 6.7
// quoted-printable, RFC 2047 Q, RFC 2231 %XX).
enum class HexCase { lower, upper };

inline void append_hex(std::string& out, unsigned char byte, HexCase letters = HexCase::lower) {
  const char* digits = letters == HexCase::lower ? "0123456789abcdef" : "0123456789ABCDEF";
  out.push_back(digits[byte >> 4]);
  out.push_back(digits[byte & 15]);
}

// Two lowercase digits for each byte.
inline std::string to_hex(const unsigned char* bytes, size_t size) {
  std::string out;
  out.reserve(2 * size);
  for (size_t i = 0; i < size; ++i) append_hex(out, bytes[i]);
  return out;
}
inline std::string to_hex(std::string_view bytes) {
  return to_hex(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
}

// The value of a hex digit of either case, or -1.
inline int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The bytes `digits` spell, or nothing when it is not an even run of hex digits.
inline std::optional<std::string> from_hex(std::string_view digits) {
  if (digits.size() % 2 != 0) return std::nullopt;
  std::string bytes;
  bytes.reserve(digits.size() / 2);
  for (size_t i = 0; i < digits.size(); i += 2) {
    const int high = hex_value(digits[i]), low = hex_value(digits[i + 1]);
    if (high < 0 || low < 0) return std::nullopt;
    bytes.push_back(static_cast<char>(high * 16 + low));
  }
  return bytes;
}

}  // namespace smtpx::text
