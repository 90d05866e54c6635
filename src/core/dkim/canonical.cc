#include "canonical.h"

#include <cctype>

namespace smtpx::dkim {

std::string relaxed_header(std::string_view name, std::string_view value) {
  std::string out;
  for (char c : name) {
    if (c != ' ' && c != '\t') out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  out.push_back(':');
  bool space = false;
  bool started = false;
  for (char c : value) {
    if (c == '\r' || c == '\n') continue;  // unfolding: the WSP after the line break stays
    if (c == ' ' || c == '\t') {
      space = true;
      continue;
    }
    if (space && started) out.push_back(' ');
    space = false;
    started = true;
    out.push_back(c);
  }
  return out + "\r\n";
}

}  // namespace smtpx::dkim
