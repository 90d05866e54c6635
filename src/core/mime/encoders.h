// The content encodings of MIME and RFC 5322 headers, each pure and exact:
// base64 (RFC 2045 6.8), quoted-printable (RFC 2045 6.7), encoded words
// (RFC 2047) and header folding (RFC 5322 2.2.3). Line endings produced are CRLF.
#pragma once

#include <string>
#include <string_view>

namespace smtpx::mime {

// Base64 in lines of 76 characters, each ended by CRLF (the last one too).
std::string base64_lines(std::string_view bytes);
// Plain base64, no line breaks (for AUTH and encoded words).
std::string base64(std::string_view bytes);
// Inverse of base64(); throws std::invalid_argument on bad input.
std::string base64_decode(std::string_view text);

// Streaming base64 for attachments: feed any amount, lines of 76 + CRLF out.
class Base64LineEncoder {
 public:
  void feed(std::string_view bytes, std::string& out);
  void finish(std::string& out);

 private:
  unsigned char pending_[3];
  size_t pending_size_ = 0;
  size_t column_ = 0;
};

// Quoted-printable of text whose line breaks are CRLF, LF or CR: line breaks kept
// as CRLF, soft breaks keep every line within 76 characters, trailing white space
// encoded, "=" and bytes outside printable ASCII encoded; a "." at the start of a
// line is encoded too so no line of the body is ever a lone dot.
std::string quoted_printable(std::string_view text);

// One header value with non-ASCII text as RFC 2047 "B" or "Q" encoded words in
// `charset`, each word at most 75 characters and never splitting a UTF-8
// sequence. ASCII-only text is returned unchanged.
std::string encode_words(std::string_view text, std::string_view charset = "UTF-8");
// The display-name form for an address header: quoted as RFC 5322 requires when it
// holds specials, encoded words when it holds non-ASCII.
std::string encode_display_name(std::string_view name, std::string_view charset = "UTF-8");

// "Name: value" folded at white space to lines of at most 78 characters where
// possible (never over 998), continuation lines starting with a space; ends in CRLF.
std::string fold_header(std::string_view name, std::string_view value);

bool is_ascii(std::string_view text);
bool is_valid_utf8(std::string_view text);

}  // namespace smtpx::mime
