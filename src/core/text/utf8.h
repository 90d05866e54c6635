// UTF-8 as RFC 3629 defines it: no overlong forms, no surrogates, nothing past
// U+10FFFF. One decoder serves checking, decoding and finding where a character
// ends, so the three can never disagree on what a character is.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace smtpx::text {

bool is_valid_utf8(std::string_view text);
// Appends the code points of `text` to `out`; false (and `out` partly filled)
// when `text` is not valid UTF-8.
bool decode_utf8(std::string_view text, std::u32string& out);
// Appends `point` (at most U+10FFFF) in UTF-8.
void append_utf8(std::string& out, char32_t point);
// The length of the character that starts at `text[at]`, or 1 for a byte that
// starts none, so that text split there never cuts a character in two.
size_t utf8_sequence_length(std::string_view text, size_t at);
// The longest prefix of `text` of at most `size` bytes that ends on a character
// boundary (or, for bytes that are not UTF-8, at most three bytes short).
size_t utf8_prefix_length(std::string_view text, size_t size);

}  // namespace smtpx::text
