#include "data_encoder.h"

namespace smtpx::smtp {

void DataEncoder::feed(std::string_view bytes, std::string& out) {
  out.reserve(out.size() + bytes.size() + bytes.size() / 64 + 8);
  for (char c : bytes) {
    if (pending_cr_) {
      pending_cr_ = false;
      out.append("\r\n");
      at_line_start_ = true;
      if (c == '\n') continue;  // the CR was the first half of a CRLF
    }
    if (c == '\r') {
      pending_cr_ = true;
      continue;
    }
    if (c == '\n') {  // a bare LF becomes CRLF
      out.append("\r\n");
      at_line_start_ = true;
      continue;
    }
    // RFC 5321 4.5.2: a line starting with "." gets one more, so none ends the data early.
    if (at_line_start_ && c == '.' && mode_ == Mode::data) out.push_back('.');
    out.push_back(c);
    at_line_start_ = false;
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
