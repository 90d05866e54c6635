// ASCII character classes and case folding. Only the 128 ASCII characters are
// ever classified or folded: every other byte may be part of a UTF-8 sequence
// and passes through unchanged, whatever the C locale says (std::tolower does
// not promise that).
#pragma once

#include <string>
#include <string_view>

namespace smtpx::text {

bool is_ascii(std::string_view text);
// RFC 5234 WSP: space and horizontal tab, the white space of SMTP and headers.
inline bool is_wsp(char c) {
  return c == ' ' || c == '\t';
}
// C0 controls and DEL.
inline bool is_control(char c) {
  return static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
}
// Whether `text` holds a control byte: what a header, a command line or a
// secret that goes into one must never carry.
bool has_control(std::string_view text);
inline bool is_letter_or_digit(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}
// RFC 5322 3.2.3 atext: what an atom (a display name word, a dot-atom local
// part) may hold without quotes.
bool is_atext(char c);

inline char to_lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}
inline char to_upper(char c) {
  return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
}
std::string to_lower(std::string_view text);
std::string to_upper(std::string_view text);
// Equality and search with ASCII letters folded, as SMTP keywords (RFC 5321
// 2.4), header names, charsets and media types compare.
bool equals_ignoring_case(std::string_view a, std::string_view b);
bool contains_ignoring_case(std::string_view text, std::string_view needle);

}  // namespace smtpx::text
