// Line breaks in message content: finding them fast, and writing every one as
// CRLF. The body passes through several line-oriented steps (shape, CRLF
// normalisation, dot-stuffing); memchr() scans many bytes per step, where a
// byte-at-a-time loop in each made them the largest cost of a send.
#pragma once

#include <cstring>
#include <string>
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

// What one scan of `text` tells of its lines as the wire will see them after
// CrlfWriter, where any line break (CRLF, bare LF, bare CR) ends a line.
struct LineStats {
  size_t longest = 0;      // the longest line, its line break not counted
  size_t bare_breaks = 0;  // bare LFs and CRs: CrlfWriter writes each as two bytes
};
LineStats line_stats(std::string_view text);
inline size_t longest_line(std::string_view text) {
  return line_stats(text).longest;
}

// Writes text given in pieces with every line break (CRLF, bare LF, bare CR) as
// CRLF, so no bare CR or LF ever reaches the server (the SMTP smuggling hole).
// With `double_leading_dots`, a line starting with "." gets one more
// (RFC 5321 4.5.2, for DATA).
class CrlfWriter {
 public:
  explicit CrlfWriter(bool double_leading_dots = false) : double_leading_dots_(double_leading_dots) {}
  void feed(std::string_view text, std::string& out);
  // Writes a CR held back at the end of the last piece (it might have been half a CRLF).
  void flush(std::string& out);
  bool at_line_start() const { return at_line_start_; }

 private:
  bool double_leading_dots_;
  bool at_line_start_ = true;
  bool pending_cr_ = false;
};

}  // namespace smtpx
