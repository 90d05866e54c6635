// The transparency the wire needs for a message body, applied in a stream:
// every line ending becomes CRLF (no bare CR or LF reaches the server, which
// closes the SMTP smuggling hole) and, for DATA, a leading "." is doubled
// (RFC 5321 4.5.2). The end marker is added by finish().
#pragma once

#include <string>
#include <string_view>

#include "../line_breaks.h"

namespace smtpx::smtp {

class DataEncoder {
 public:
  enum class Mode { data, bdat };
  explicit DataEncoder(Mode mode) : mode_(mode), lines_(mode == Mode::data) {}
  void feed(std::string_view bytes, std::string& out) { lines_.feed(bytes, out); }
  // Completes the last line with CRLF if needed and, for DATA, appends ".\r\n".
  void finish(std::string& out);

 private:
  Mode mode_;
  CrlfWriter lines_;
};

}  // namespace smtpx::smtp
