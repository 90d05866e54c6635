// Text from callers and servers as an error message, a log line or a
// transcript can show it. What a server says often arrives before TLS, and what
// a caller gives may be anything: a CR, LF, NUL or ESC in it must not add lines
// to a log or codes to a terminal.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace smtpx::text {

// `text` with control bytes written as \r, \n, \0 or \xNN (lowercase hex).
std::string printable(std::string_view text);
// printable(`text`) in double quotes, cut after `max_bytes` bytes (on a UTF-8
// character boundary) with "..." to say so.
std::string quoted(std::string_view text, size_t max_bytes);

}  // namespace smtpx::text
