// The content encodings of MIME and RFC 5322 headers, each pure and exact:
// base64 (RFC 2045 6.8), quoted-printable (RFC 2045 6.7), encoded words
// (RFC 2047) and header folding (RFC 5322 2.2.3). Line endings produced are CRLF.
// The streaming forms (Base64LineEncoder, QuotedPrintableEncoder)
// take input in pieces of any size, so a body is never held whole to encode it;
// the plain functions are those encoders fed once.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace smtpx::mime {

// RFC 5322 2.1.1 and RFC 5321 4.5.3.1.6: no line of a message over 998
// characters, CRLF not counted.
constexpr size_t kMaxLineLength = 998;

// Base64 in lines of 76 characters, each ended by CRLF (the last one too).
std::string base64_lines(std::string_view bytes);
// Plain base64, no line breaks (for AUTH and encoded words).
std::string base64(std::string_view bytes);

// How many bytes Base64LineEncoder writes for `bytes` bytes of input (lines of
// 76 characters, each ending in CRLF), to declare SIZE before encoding.
size_t base64_lines_size(size_t bytes);

// Streaming base64 for attachments: feed any amount, lines of 76 + CRLF out.
class Base64LineEncoder {
 public:
  void feed(std::string_view bytes, std::string& out);
  // Encodes what is pending and ends the last line with CRLF.
  void finish(std::string& out);

 private:
  void put(std::string_view four, std::string& out);

  unsigned char pending_[3] = {0, 0, 0};
  size_t pending_size_ = 0;
  size_t column_ = 0;
};

// Streaming quoted-printable (RFC 2045 6.7) of text whose line breaks are CRLF,
// LF or CR: line breaks become CRLF hard breaks; soft breaks ("=" CRLF) keep
// every line within 76 characters; space and tab before a line break or at the
// end are encoded; "=" and bytes outside printable ASCII are encoded; a "." that
// would start a line is encoded as =2E so no line of the body is ever a lone dot.
class QuotedPrintableEncoder {
 public:
  void feed(std::string_view text, std::string& out);
  // Flushes what is pending; adds no line break of its own.
  void finish(std::string& out);

 private:
  void put(unsigned char byte, bool encode, std::string& out);
  void hard_break(std::string& out);

  size_t column_ = 0;
  char pending_space_ = 0;  // a space or tab that is literal only if more text follows
  bool pending_cr_ = false;
};

std::string quoted_printable(std::string_view text);
// How many bytes QuotedPrintableEncoder writes for `text` (counted by encoding
// it a piece at a time, so memory stays flat).
size_t quoted_printable_size(std::string_view text);

// Whether a header value must be sent as encoded words: non-ASCII, control
// characters, text that a reader would mistake for an encoded word ("=?"), or a
// word too long to fold within 998 characters.
bool needs_encoded_words(std::string_view text);

// One header value as RFC 2047 "B" or "Q" encoded words in `charset` (whichever
// form is shorter), separated by single spaces, each word at most 75 characters
// and never splitting a UTF-8 sequence. The first word is shortened so that it
// fits in 76 columns after `indent` characters (the "Subject: " before it).
// Q uses only the characters RFC 2047 5(3) allows in a phrase, so the result
// serves as a display name too. Text for which needs_encoded_words() is false is
// returned unchanged.
std::string encode_words(std::string_view text, std::string_view charset = "UTF-8", size_t indent = 0);
// The display-name form for an address header: as is when it is a sequence of
// atoms, quoted as RFC 5322 3.2.4 requires when it holds specials, encoded
// words when needs_encoded_words().
std::string encode_display_name(std::string_view name, std::string_view charset = "UTF-8");

// `text` between double quotes, with '"' and '\\' escaped (RFC 5322 3.2.4).
std::string quoted_string(std::string_view text);

// A MIME parameter whose value may hold any text: `attribute="value"` for short
// ASCII, else RFC 2231 extended form (`attribute*=charset''%XX...`), split into
// numbered sections of at most 60 characters (RFC 2231 3) that never cut a
// character. Sections are separated by "; " so fold_header() can fold there.
std::string mime_parameter(std::string_view attribute, std::string_view value,
                           std::string_view charset = "UTF-8");

// "Name: value" folded at white space to lines of at most 78 characters where
// possible, continuation lines starting with the white space folded before;
// ends in CRLF. A word longer than a line stays whole, so a line can exceed 78
// (callers check 998 with smtpx::longest_line()).
std::string fold_header(std::string_view name, std::string_view value);

// "UTF-8" in any case, or its common alias "utf8".
bool is_utf8_charset(std::string_view charset);

}  // namespace smtpx::mime
