#include "encoders.h"

#include <algorithm>
#include <vector>

#include "../text/ascii.h"
#include "../text/hex.h"
#include "../text/utf8.h"

namespace smtpx::mime {

using text::append_hex;
using text::equals_ignoring_case;
using text::is_ascii;
using text::is_atext;
using text::is_letter_or_digit;
using text::is_wsp;
using text::utf8_sequence_length;

namespace {

constexpr char kBase64Alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
// RFC 2045 6.8: encoded lines are no more than 76 characters.
constexpr size_t kBase64LineLength = 76;
// RFC 2045 6.7 rule 5: 76 characters including the "=" of a soft break.
constexpr size_t kQuotedPrintableLineLength = 76;
// RFC 2047 2: an encoded word is no more than 75 characters.
constexpr size_t kEncodedWordLength = 75;
// RFC 2047 2: a line holding encoded words is no more than 76 characters.
constexpr size_t kEncodedWordLineLength = 76;
// RFC 5322 2.1.1: lines SHOULD be no more than 78 characters.
constexpr size_t kHeaderLineLength = 78;

void encode_group(const unsigned char* bytes, size_t size, char four[4]) {
  const unsigned group = (bytes[0] << 16) | (size > 1 ? bytes[1] << 8 : 0) | (size > 2 ? bytes[2] : 0);
  four[0] = kBase64Alphabet[(group >> 18) & 63];
  four[1] = kBase64Alphabet[(group >> 12) & 63];
  four[2] = size > 1 ? kBase64Alphabet[(group >> 6) & 63] : '=';
  four[3] = size > 2 ? kBase64Alphabet[group & 63] : '=';
}

// RFC 2047 5(3): the only characters a "Q" word may carry literally in a phrase.
bool is_q_literal(char c) {
  return is_letter_or_digit(c) || c == '!' || c == '*' || c == '+' || c == '-' || c == '/';
}

std::string q_encode(std::string_view chunk) {
  std::string out;
  for (unsigned char c : chunk) {
    if (is_q_literal(c)) {
      out.push_back(static_cast<char>(c));
    } else if (c == ' ') {
      out.push_back('_');  // RFC 2047 4.2(2)
    } else {
      out.push_back('=');
      append_hex(out, c, text::HexCase::upper);
    }
  }
  return out;
}

size_t b_length(size_t bytes) {
  return (bytes + 2) / 3 * 4;
}

// Splits `text` into encoded words of one form, whole characters in each.
std::vector<std::string> encoded_words(std::string_view text, std::string_view charset, bool q,
                                       size_t first_room) {
  const std::string prefix = "=?" + std::string(charset) + (q ? "?Q?" : "?B?");
  const size_t overhead = prefix.size() + 2;
  std::vector<std::string> words;
  size_t start = 0, encoded = 0, i = 0;
  auto flush = [&](size_t end) {
    const std::string_view chunk = text.substr(start, end - start);
    words.push_back(prefix + (q ? q_encode(chunk) : base64(chunk)) + "?=");
    start = end;
    encoded = 0;
  };
  while (i < text.size()) {
    const size_t length = is_utf8_charset(charset) ? utf8_sequence_length(text, i) : 1;
    const size_t room = (words.empty() ? first_room : kEncodedWordLength) - overhead;
    const size_t grown = q ? encoded + q_encode(text.substr(i, length)).size() : b_length(i + length - start);
    if (grown > room && i > start) {
      flush(i);
      continue;
    }
    encoded = grown;
    i += length;
  }
  if (start < text.size() || words.empty()) flush(text.size());
  return words;
}

}  // namespace

bool is_utf8_charset(std::string_view charset) {
  return equals_ignoring_case(charset, "utf-8") || equals_ignoring_case(charset, "utf8");
}

std::string base64(std::string_view bytes) {
  std::string out;
  out.reserve(b_length(bytes.size()));
  const auto* data = reinterpret_cast<const unsigned char*>(bytes.data());
  char four[4];
  for (size_t i = 0; i < bytes.size(); i += 3) {
    encode_group(data + i, std::min<size_t>(3, bytes.size() - i), four);
    out.append(four, 4);
  }
  return out;
}

std::string base64_lines(std::string_view bytes) {
  std::string out;
  Base64LineEncoder encoder;
  encoder.feed(bytes, out);
  encoder.finish(out);
  return out;
}

size_t base64_lines_size(size_t bytes) {
  const size_t characters = (bytes + 2) / 3 * 4;
  const size_t lines = (characters + kBase64LineLength - 1) / kBase64LineLength;
  return characters + 2 * lines;
}

void Base64LineEncoder::put(std::string_view four, std::string& out) {
  out.append(four);
  column_ += 4;
  if (column_ == kBase64LineLength) {
    out.append("\r\n");
    column_ = 0;
  }
}

void Base64LineEncoder::feed(std::string_view bytes, std::string& out) {
  const auto* data = reinterpret_cast<const unsigned char*>(bytes.data());
  size_t i = 0;
  char four[4];
  if (pending_size_ > 0) {
    while (pending_size_ < 3 && i < bytes.size()) pending_[pending_size_++] = data[i++];
    if (pending_size_ < 3) return;
    encode_group(pending_, 3, four);
    put({four, 4}, out);
    pending_size_ = 0;
  }
  // Whole groups are written straight into `out`: this loop carries attachments.
  const size_t groups = (bytes.size() - i) / 3;
  const size_t start = out.size();
  out.resize(start + groups * 4 + (column_ + groups * 4) / kBase64LineLength * 2);
  char* cursor = out.data() + start;
  for (size_t g = 0; g < groups; ++g, i += 3) {
    encode_group(data + i, 3, cursor);
    cursor += 4;
    column_ += 4;
    if (column_ == kBase64LineLength) {
      *cursor++ = '\r';
      *cursor++ = '\n';
      column_ = 0;
    }
  }
  while (i < bytes.size()) pending_[pending_size_++] = data[i++];
}

void Base64LineEncoder::finish(std::string& out) {
  if (pending_size_ > 0) {
    char four[4];
    encode_group(pending_, pending_size_, four);
    put({four, 4}, out);
    pending_size_ = 0;
  }
  if (column_ > 0) out.append("\r\n");
  column_ = 0;
}

void QuotedPrintableEncoder::put(unsigned char byte, bool encode, std::string& out) {
  if (column_ + (encode ? 3 : 1) > kQuotedPrintableLineLength - 1) {
    out.append("=\r\n");
    column_ = 0;
  }
  // RFC 5321 4.5.2 would double a leading "."; encoded, the text stays as written.
  if (byte == '.' && column_ == 0) encode = true;
  if (encode) {
    out.push_back('=');
    append_hex(out, byte, text::HexCase::upper);
    column_ += 3;
  } else {
    out.push_back(static_cast<char>(byte));
    ++column_;
  }
}

void QuotedPrintableEncoder::hard_break(std::string& out) {
  // RFC 2045 6.7 rule 3: white space that ends a line is encoded, or it would be lost.
  if (pending_space_) put(static_cast<unsigned char>(pending_space_), true, out);
  pending_space_ = 0;
  out.append("\r\n");
  column_ = 0;
}

void QuotedPrintableEncoder::feed(std::string_view text, std::string& out) {
  out.reserve(out.size() + text.size() + text.size() / 8 + 8);
  for (char c : text) {
    if (pending_cr_) {
      pending_cr_ = false;
      hard_break(out);
      if (c == '\n') continue;
    }
    if (c == '\r') {
      pending_cr_ = true;
      continue;
    }
    if (c == '\n') {
      hard_break(out);
      continue;
    }
    if (pending_space_) {
      put(static_cast<unsigned char>(pending_space_), false, out);
      pending_space_ = 0;
    }
    if (is_wsp(c)) {
      pending_space_ = c;
      continue;
    }
    const auto byte = static_cast<unsigned char>(c);
    put(byte, byte < 33 || byte > 126 || byte == '=', out);
  }
}

void QuotedPrintableEncoder::finish(std::string& out) {
  if (pending_cr_) {
    pending_cr_ = false;
    hard_break(out);
  }
  if (pending_space_) put(static_cast<unsigned char>(pending_space_), true, out);
  pending_space_ = 0;
}

std::string quoted_printable(std::string_view text) {
  std::string out;
  QuotedPrintableEncoder encoder;
  encoder.feed(text, out);
  encoder.finish(out);
  return out;
}

size_t quoted_printable_size(std::string_view text) {
  constexpr size_t piece = 16 * 1024;
  QuotedPrintableEncoder encoder;
  std::string out;
  size_t size = 0;
  for (size_t at = 0; at < text.size(); at += piece) {
    out.clear();
    encoder.feed(text.substr(at, piece), out);
    size += out.size();
  }
  out.clear();
  encoder.finish(out);
  return size + out.size();
}

bool needs_encoded_words(std::string_view text) {
  if (!is_ascii(text) || text.find("=?") != std::string_view::npos) return true;
  // RFC 5322 3.2.5 / 3.5: header text is VCHAR and white space; controls go encoded.
  for (char c : text) {
    if ((c < 32 && c != '\t') || c == 127) return true;
  }
  // Leaves room for the longest header name we write and its ": ".
  constexpr size_t kLongestFoldableWord = kMaxLineLength - kHeaderLineLength;
  size_t word = 0;
  for (char c : text) {
    word = is_wsp(c) ? 0 : word + 1;
    if (word > kLongestFoldableWord) return true;
  }
  return false;
}

std::string encode_words(std::string_view text, std::string_view charset, size_t indent) {
  if (!needs_encoded_words(text)) return std::string(text);
  size_t first_room = indent < kEncodedWordLineLength ? kEncodedWordLineLength - indent : 0;
  first_room = std::min(first_room, kEncodedWordLength);
  // Too little room for one character in a word: the word starts a line of its own.
  if (first_room < charset.size() + 7 + 12) first_room = kEncodedWordLength;
  const auto q = encoded_words(text, charset, true, first_room);
  const auto b = encoded_words(text, charset, false, first_room);
  size_t q_size = 0, b_size = 0;
  for (const auto& word : q) q_size += word.size() + 1;
  for (const auto& word : b) b_size += word.size() + 1;
  std::string out;
  for (const auto& word : q_size <= b_size ? q : b) {
    if (!out.empty()) out.push_back(' ');
    out.append(word);
  }
  return out;
}

std::string encode_display_name(std::string_view name, std::string_view charset) {
  if (needs_encoded_words(name)) return encode_words(name, charset);
  bool atoms = !name.empty() && name.front() != ' ' && name.back() != ' ';
  for (size_t i = 0; atoms && i < name.size(); ++i) {
    atoms = is_atext(name[i]) || (name[i] == ' ' && name[i - 1] != ' ');
  }
  return atoms ? std::string(name) : quoted_string(name);
}

std::string quoted_string(std::string_view text) {
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') quoted.push_back('\\');  // RFC 5322 3.2.4 quoted-pair
    quoted.push_back(c);
  }
  quoted.push_back('"');
  return quoted;
}

std::string mime_parameter(std::string_view attribute, std::string_view value, std::string_view charset) {
  constexpr size_t kSectionLength = 60;
  // RFC 2045 5.1 tspecials, which an attribute-char (RFC 2231 7) may not be either.
  constexpr std::string_view kSpecials = "()<>@,;:\\\"/[]?=*'%";
  auto is_plain = [&](unsigned char c) {
    return c > 32 && c < 127 && kSpecials.find(c) == std::string_view::npos;
  };
  bool quotable = is_ascii(value) && value.size() <= kSectionLength;
  for (unsigned char c : value) quotable = quotable && c >= 32 && c != 127;
  if (quotable) return std::string(attribute) + "=" + quoted_string(value);
  std::vector<std::string> sections(1);
  for (size_t i = 0; i < value.size();) {
    const size_t length = is_utf8_charset(charset) ? utf8_sequence_length(value, i) : 1;
    std::string encoded;
    for (size_t k = i; k < i + length; ++k) {
      const auto c = static_cast<unsigned char>(value[k]);
      if (is_plain(c)) {
        encoded.push_back(static_cast<char>(c));
      } else {
        encoded.push_back('%');
        append_hex(encoded, c, text::HexCase::upper);
      }
    }
    if (sections.back().size() + encoded.size() > kSectionLength && !sections.back().empty()) {
      sections.emplace_back();
    }
    sections.back().append(encoded);
    i += length;
  }
  const std::string start = std::string(charset) + "''";
  if (sections.size() == 1) return std::string(attribute) + "*=" + start + sections[0];
  std::string out;
  for (size_t n = 0; n < sections.size(); ++n) {
    if (n > 0) out.append("; ");
    out.append(attribute).append("*").append(std::to_string(n)).append("*=");
    if (n == 0) out.append(start);
    out.append(sections[n]);
  }
  return out;
}

std::string fold_header(std::string_view name, std::string_view value) {
  std::string out(name);
  out.append(": ");
  size_t column = out.size();
  size_t i = 0;
  bool first = true;
  while (i < value.size()) {
    // A segment is the white space before a word and the word: folding happens
    // only in front of white space (RFC 5322 2.2.3), never leaving a line blank.
    size_t end = i;
    while (end < value.size() && is_wsp(value[end])) ++end;
    const bool has_word = end < value.size();
    while (end < value.size() && !is_wsp(value[end])) ++end;
    const size_t length = end - i;
    if (!first && has_word && is_wsp(value[i]) && column + length > kHeaderLineLength) {
      out.append("\r\n");
      column = 0;
    }
    out.append(value.substr(i, length));
    column += length;
    first = false;
    i = end;
  }
  out.append("\r\n");
  return out;
}

}  // namespace smtpx::mime
