// The EHLO reader (src/core/capabilities.*) on any reply a server may send.
// Properties: every line after the greeting is kept as sent; a flag is set
// exactly when a line's keyword (case-insensitive, ended by space, tab or "=")
// names it; AUTH mechanisms are upper case, each listed once and found by
// offers_auth() in any case; a SIZE limit is the number the server wrote.
#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

#include "core/capabilities.h"
#include "properties.h"

namespace smtpx::fuzz {
namespace {

std::string upper(std::string text) {
  for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

std::string keyword_of(const std::string& line) {
  return upper(line.substr(0, line.find_first_of(" \t=")));
}

bool some_line_says(const Reply& ehlo, const std::string& keyword) {
  return std::any_of(ehlo.lines.begin() + 1, ehlo.lines.end(),
                     [&](const std::string& line) { return keyword_of(line) == keyword; });
}

}  // namespace
}  // namespace smtpx::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace smtpx::fuzz;
  // The lines of a 250 reply, as ReplyReader hands them over (split at LF, no line break kept).
  smtpx::Reply ehlo;
  ehlo.code = 250;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  while (true) {
    const size_t end = text.find('\n');
    ehlo.lines.emplace_back(text.substr(0, end));
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  const smtpx::Capabilities caps = smtpx::Capabilities::from_ehlo(ehlo);

  require(caps.esmtp, "an EHLO reply is ESMTP");
  require(caps.keywords == std::vector<std::string>(ehlo.lines.begin() + 1, ehlo.lines.end()),
          "every line after the greeting is kept as sent");
  require(caps.pipelining == some_line_says(ehlo, "PIPELINING"), "PIPELINING as offered");
  require(caps.chunking == some_line_says(ehlo, "CHUNKING"), "CHUNKING as offered");
  require(caps.starttls == some_line_says(ehlo, "STARTTLS"), "STARTTLS as offered");
  require(caps.eightbitmime == some_line_says(ehlo, "8BITMIME"), "8BITMIME as offered");
  require(caps.smtputf8 == some_line_says(ehlo, "SMTPUTF8"), "SMTPUTF8 as offered");
  require(caps.dsn == some_line_says(ehlo, "DSN"), "DSN as offered");
  require(caps.enhanced_status_codes == some_line_says(ehlo, "ENHANCEDSTATUSCODES"),
          "ENHANCEDSTATUSCODES as offered");
  require(caps.size_advertised == some_line_says(ehlo, "SIZE"), "SIZE as offered");
  require(caps.size_advertised || caps.size_limit == 0, "no SIZE, no limit");
  if (caps.size_limit != 0) {
    const std::string limit = std::to_string(caps.size_limit);
    require(std::any_of(ehlo.lines.begin() + 1, ehlo.lines.end(),
                        [&](const std::string& line) {
                          return keyword_of(line) == "SIZE" && line.find(limit) != std::string::npos;
                        }),
            "a SIZE limit is a number the server wrote");
  }
  require(caps.auth.empty() || some_line_says(ehlo, "AUTH"), "no AUTH line, no mechanisms");
  for (size_t i = 0; i < caps.auth.size(); ++i) {
    const std::string& mechanism = caps.auth[i];
    require(!mechanism.empty() && mechanism == upper(mechanism), "mechanisms are upper case");
    require(mechanism.find_first_of(" \t") == std::string::npos, "a mechanism is one word");
    require(std::count(caps.auth.begin(), caps.auth.end(), mechanism) == 1, "each mechanism once");
    std::string lower = mechanism;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    require(caps.offers_auth(lower) && caps.offers_auth(mechanism), "offers_auth() ignores case");
  }
  return 0;
}
