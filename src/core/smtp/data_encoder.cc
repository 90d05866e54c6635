#include "data_encoder.h"

#include "../line_breaks.h"

namespace smtpx::smtp {

void DataEncoder::feed(std::string_view bytes, std::string& out) {
  out.reserve(out.size() + bytes.size() + bytes.size() / 64 + 8);
  size_t at = 0;
  while (at < bytes.size()) {
    if (pending_cr_) {
      pending_cr_ = false;
      out.append("\r\n");
      at_line_start_ = true;
      if (bytes[at] == '\n') {  // the CR was the first half of a CRLF
        ++at;
        continue;
      }
    }
    // RFC 5321 4.5.2: a line starting with "." gets one more, so none ends the data early.
    if (at_line_start_ && bytes[at] == '.' && mode_ == Mode::data) out.push_back('.');
    const size_t line_break = next_line_break(bytes, at);
    if (line_break > at) {
      out.append(bytes.data() + at, line_break - at);
      at_line_start_ = false;
    }
    if (line_break == bytes.size()) break;
    if (bytes[line_break] == '\r') {
      pending_cr_ = true;  // a CRLF, or a bare CR: the next byte tells
    } else {
      out.append("\r\n");  // a bare LF becomes CRLF
      at_line_start_ = true;
    }
    at = line_break + 1;
  }
}

void DataEncoder::finish(std::string& out) {
  if (pending_cr_) {
    pending_cr_ = false;
    out.append("\r\n");
    at_line_start_ = true;
  }
  if (!at_line_start_) out.append("\r\n");
  at_line_start_ = true;
  if (mode_ == Mode::data) out.append(".\r\n");
}

}  // namespace smtpx::smtp
