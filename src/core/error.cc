#include "error.h"

namespace smtpx {

const char* phase_name(Phase phase) {
  switch (phase) {
    case Phase::connect:
      return "connect";
    case Phase::tls:
      return "tls";
    case Phase::greeting:
      return "greeting";
    case Phase::ehlo:
      return "ehlo";
    case Phase::auth:
      return "auth";
    case Phase::mail:
      return "mail";
    case Phase::rcpt:
      return "rcpt";
    case Phase::data:
      return "data";
    case Phase::quit:
      return "quit";
  }
  return "unknown";
}

std::string printable(std::string_view text) {
  static const char hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '\r') {
      out += "\\r";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\0') {
      out += "\\0";
    } else if (byte < 0x20 || byte == 0x7f) {
      out += "\\x";
      out += hex[byte >> 4];
      out += hex[byte & 15];
    } else {
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace smtpx
