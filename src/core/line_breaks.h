// Finding line breaks fast: the body passes through several line-oriented
// steps (shape, CRLF normalisation, dot-stuffing), and a byte-at-a-time loop in
// each made them the largest cost of a send. memchr() scans many bytes per step.
#pragma once

#include <cstring>
#include <string_view>

namespace smtpx {

// The position of the first CR or LF in `text` at or after `from`, or text.size().
inline size_t next_line_break(std::string_view text, size_t from) {
  if (from >= text.size()) return text.size();
  const char* begin = text.data() + from;
  const size_t length = text.size() - from;
  const void* lf = std::memchr(begin, '\n', length);
  const size_t lf_at = lf ? static_cast<size_t>(static_cast<const char*>(lf) - begin) : length;
  const void* cr = std::memchr(begin, '\r', lf_at);
  const size_t at = cr ? static_cast<size_t>(static_cast<const char*>(cr) - begin) : lf_at;
  return from + at;
}

}  // namespace smtpx
