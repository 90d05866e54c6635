#include "utf8.h"

#include <cstdint>
#include <cstring>

namespace smtpx::text {

namespace {

// The character that starts at `text[at]`: its code point and length, or a
// length of 0 when the bytes there are not a valid UTF-8 sequence.
struct Character {
  char32_t point = 0;
  size_t length = 0;
};

Character character_at(std::string_view text, size_t at) {
  const auto lead = static_cast<unsigned char>(text[at]);
  if (lead < 0x80) return {lead, 1};
  char32_t point;
  char32_t smallest;
  size_t length;
  if ((lead & 0xe0) == 0xc0)
    point = lead & 0x1f, smallest = 0x80, length = 2;
  else if ((lead & 0xf0) == 0xe0)
    point = lead & 0x0f, smallest = 0x800, length = 3;
  else if ((lead & 0xf8) == 0xf0)
    point = lead & 0x07, smallest = 0x10000, length = 4;
  else
    return {};
  if (text.size() - at < length) return {};
  for (size_t k = 1; k < length; ++k) {
    const auto next = static_cast<unsigned char>(text[at + k]);
    if ((next & 0xc0) != 0x80) return {};
    point = (point << 6) | (next & 0x3f);
  }
  // RFC 3629 3: no overlong forms, no surrogates, nothing past U+10FFFF.
  if (point < smallest || point > 0x10ffff || (point >= 0xd800 && point <= 0xdfff)) return {};
  return {point, length};
}

}  // namespace

bool is_valid_utf8(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    // Most text is ASCII: eight bytes at a time while no high bit is set.
    uint64_t word;
    if (i + sizeof word <= text.size()) {
      std::memcpy(&word, text.data() + i, sizeof word);
      if ((word & 0x8080808080808080ULL) == 0) {
        i += sizeof word;
        continue;
      }
    }
    const size_t length = character_at(text, i).length;
    if (length == 0) return false;
    i += length;
  }
  return true;
}

bool decode_utf8(std::string_view text, std::u32string& out) {
  for (size_t i = 0; i < text.size();) {
    const Character character = character_at(text, i);
    if (character.length == 0) return false;
    out.push_back(character.point);
    i += character.length;
  }
  return true;
}

void append_utf8(std::string& out, char32_t point) {
  if (point < 0x80) {
    out.push_back(static_cast<char>(point));
    return;
  }
  const size_t length = point < 0x800 ? 2 : point < 0x10000 ? 3 : 4;
  static constexpr unsigned char kLead[] = {0, 0, 0xc0, 0xe0, 0xf0};
  char bytes[4];
  for (size_t k = length - 1; k > 0; --k, point >>= 6) bytes[k] = static_cast<char>(0x80 | (point & 0x3f));
  bytes[0] = static_cast<char>(kLead[length] | point);
  out.append(bytes, length);
}

size_t utf8_sequence_length(std::string_view text, size_t at) {
  const size_t length = character_at(text, at).length;
  return length == 0 ? 1 : length;
}

size_t utf8_prefix_length(std::string_view text, size_t size) {
  if (size >= text.size()) return text.size();
  size_t end = size;
  // A continuation byte there means a character started before `end`.
  while (end > 0 && size - end < 3 && (static_cast<unsigned char>(text[end]) & 0xc0) == 0x80) --end;
  return end;
}

}  // namespace smtpx::text
