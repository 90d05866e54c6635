#include "escape.h"

#include "ascii.h"
#include "hex.h"
#include "utf8.h"

namespace smtpx::text {

std::string printable(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '\r') {
      out += "\\r";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\0') {
      out += "\\0";
    } else if (is_control(c)) {
      out += "\\x";
      append_hex(out, static_cast<unsigned char>(c));
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string quoted(std::string_view text, size_t max_bytes) {
  const size_t shown = utf8_prefix_length(text, max_bytes);
  std::string out = "\"" + printable(text.substr(0, shown));
  if (shown < text.size()) out.append("...");
  out.push_back('"');
  return out;
}

}  // namespace smtpx::text
