#include "ascii.h"

#include <algorithm>
#include <cstdint>
#include <cstring>

namespace smtpx::text {

namespace {

bool same_ignoring_case(char a, char b) {
  return to_lower(a) == to_lower(b);
}

}  // namespace

bool is_ascii(std::string_view text) {
  size_t i = 0;
  // Eight bytes at a time: this scans whole bodies for 8-bit content.
  for (uint64_t word; i + sizeof word <= text.size(); i += sizeof word) {
    std::memcpy(&word, text.data() + i, sizeof word);
    if ((word & 0x8080808080808080ULL) != 0) return false;
  }
  return std::all_of(text.begin() + i, text.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

bool has_control(std::string_view text) {
  return std::any_of(text.begin(), text.end(), [](char c) { return is_control(c); });
}

bool is_atext(char c) {
  return is_letter_or_digit(c) || std::string_view("!#$%&'*+-/=?^_`{|}~").find(c) != std::string_view::npos;
}

std::string to_lower(std::string_view text) {
  std::string out(text.size(), '\0');
  std::transform(text.begin(), text.end(), out.begin(), [](char c) { return to_lower(c); });
  return out;
}

std::string to_upper(std::string_view text) {
  std::string out(text.size(), '\0');
  std::transform(text.begin(), text.end(), out.begin(), [](char c) { return to_upper(c); });
  return out;
}

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), same_ignoring_case);
}

bool contains_ignoring_case(std::string_view text, std::string_view needle) {
  return std::search(text.begin(), text.end(), needle.begin(), needle.end(), same_ignoring_case) !=
         text.end();
}

}  // namespace smtpx::text
