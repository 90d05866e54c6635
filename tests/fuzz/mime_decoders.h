// Decoders for what the MIME encoders write, written from the RFCs for the fuzz
// targets alone: a round trip through the core's encoder and one of these
// checks the encoder against the standard, not against itself (base64 aside,
// whose decoder is the core's, checked by a target of its own). Each returns
// false on input that breaks its RFC's syntax.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

#include "base64_decode.h"
#include "core/mime/encoders.h"

namespace smtpx::fuzz {

inline int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;  // RFC 2045 6.7 (1): upper case only
}

// RFC 2045 6.7: "=XX" is a byte, "=" at the end of a line a soft break, CRLF a line break.
inline bool quoted_printable_decode(std::string_view text, std::string& out) {
  out.clear();
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '=') {
      out.push_back(text[i]);
      continue;
    }
    if (text.compare(i + 1, 2, "\r\n") == 0) {
      i += 2;
      continue;
    }
    if (i + 2 >= text.size() || hex_digit(text[i + 1]) < 0 || hex_digit(text[i + 2]) < 0) return false;
    out.push_back(static_cast<char>(hex_digit(text[i + 1]) * 16 + hex_digit(text[i + 2])));
    i += 2;
  }
  return true;
}

// RFC 2047 4.2: "_" is a space, "=XX" a byte.
inline bool q_decode(std::string_view text, std::string& out) {
  out.clear();
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '_') {
      out.push_back(' ');
    } else if (text[i] == '=') {
      if (i + 2 >= text.size() || hex_digit(text[i + 1]) < 0 || hex_digit(text[i + 2]) < 0) return false;
      out.push_back(static_cast<char>(hex_digit(text[i + 1]) * 16 + hex_digit(text[i + 2])));
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
  return true;
}

// RFC 2047 2 and 5(3): one encoded word's bytes; false when it is not an encoded
// word in `charset` with only the characters a phrase may carry.
inline bool decode_encoded_word(std::string_view word, std::string_view charset, std::string& bytes) {
  const std::string q_prefix = "=?" + std::string(charset) + "?Q?";
  const std::string b_prefix = "=?" + std::string(charset) + "?B?";
  if (word.size() < q_prefix.size() + 2 || word.substr(word.size() - 2) != "?=") return false;
  const bool q = word.substr(0, q_prefix.size()) == q_prefix;
  if (!q && word.substr(0, b_prefix.size()) != b_prefix) return false;
  const std::string_view payload = word.substr(q_prefix.size(), word.size() - q_prefix.size() - 2);
  for (char c : payload) {
    const bool letter_or_digit = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    const std::string_view allowed = q ? "!*+-/=_" : "+/=";
    if (!letter_or_digit && allowed.find(c) == std::string_view::npos) return false;
  }
  if (q) return q_decode(payload, bytes);
  try {
    bytes = testing::base64_decode(payload);
  } catch (const std::invalid_argument&) {
    return false;
  }
  return true;
}

}  // namespace smtpx::fuzz
