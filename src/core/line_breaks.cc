#include "line_breaks.h"

#include <algorithm>

namespace smtpx {

LineStats line_stats(std::string_view text) {
  LineStats stats;
  for (size_t start = 0; start <= text.size();) {
    const size_t line_break = next_line_break(text, start);
    stats.longest = std::max(stats.longest, line_break - start);
    if (line_break == text.size()) break;
    const bool crlf = text.compare(line_break, 2, "\r\n") == 0;
    if (!crlf) ++stats.bare_breaks;
    start = line_break + (crlf ? 2 : 1);
  }
  return stats;
}

void CrlfWriter::feed(std::string_view text, std::string& out) {
  out.reserve(out.size() + text.size() + text.size() / 64 + 8);
  size_t at = 0;
  while (at < text.size()) {
    if (pending_cr_) {
      pending_cr_ = false;
      out.append("\r\n");
      at_line_start_ = true;
      if (text[at] == '\n') {  // the CR was the first half of a CRLF
        ++at;
        continue;
      }
    }
    if (double_leading_dots_ && at_line_start_ && text[at] == '.') out.push_back('.');
    const size_t line_break = next_line_break(text, at);
    if (line_break > at) {
      out.append(text.data() + at, line_break - at);
      at_line_start_ = false;
    }
    if (line_break == text.size()) break;
    if (text[line_break] == '\r') {
      pending_cr_ = true;  // a CRLF, or a bare CR: the next byte tells
    } else {
      out.append("\r\n");  // a bare LF becomes CRLF
      at_line_start_ = true;
    }
    at = line_break + 1;
  }
}

void CrlfWriter::flush(std::string& out) {
  if (!pending_cr_) return;
  pending_cr_ = false;
  out.append("\r\n");
  at_line_start_ = true;
}

}  // namespace smtpx
