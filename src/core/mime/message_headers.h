// The RFC 5322 header block of a composed message, from Date to the caller's
// extra headers (the writer adds the MIME Content-* lines of the top part), and
// the checks that keep a caller's text from breaking it: no CR, LF or NUL, valid
// names, no header that smtpx owns, no line over 998 characters.
#pragma once

#include <ctime>
#include <string>
#include <string_view>

#include "../message.h"
#include "writer.h"

namespace smtpx::mime {

struct MessageHeaders {
  std::string lines;       // each folded and ended by CRLF
  std::string message_id;  // without angle brackets
  bool raw_utf8 = false;   // an address stays UTF-8 (RFC 6532), so the header is 8bit
};

// Throws InvalidInput naming the field ("subject", "to[1]", "headers.X-Tag").
MessageHeaders message_headers(const Message& message, const ComposeOptions& options);

// "Name: value" folded; throws InvalidInput naming `field` when a line would
// exceed 998 characters (RFC 5322 2.1.1).
std::string header_line(const std::string& field, std::string_view name, std::string_view value);

// Throws InvalidInput naming `field` when `value` holds CR, LF or NUL, which
// would end the header and let the value inject headers of its own.
void check_single_line(const std::string& field, std::string_view value);
// Throws InvalidInput naming `field` when the text is not UTF-8 but `charset` says so.
void check_charset(const std::string& field, std::string_view text, std::string_view charset);

// RFC 5322 3.3 date-time in UTC, in English whatever the process locale.
std::string rfc5322_date(std::time_t when);
// `bytes` bytes of cryptographic randomness as lowercase hex.
std::string random_hex(size_t bytes);

}  // namespace smtpx::mime
