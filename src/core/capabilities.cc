// Reading the EHLO reply (RFC 5321 4.1.1.1): each line after the greeting is
// an extension keyword, then parameters separated by spaces. Keywords are
// case-insensitive (RFC 5321 2.4). Unknown keywords are kept in `keywords` and
// otherwise ignored, as RFC 5321 4.1.1.1 asks of a client.
#include "capabilities.h"

#include <algorithm>
#include <limits>
#include <string_view>

#include "text/ascii.h"

namespace smtpx {

using text::is_wsp;
using text::to_upper;

namespace {

// The words of `text`, split on runs of spaces.
std::vector<std::string_view> words(std::string_view text) {
  std::vector<std::string_view> out;
  size_t pos = 0;
  while (pos < text.size()) {
    while (pos < text.size() && is_wsp(text[pos])) ++pos;
    size_t end = pos;
    while (end < text.size() && !is_wsp(text[end])) ++end;
    if (end > pos) out.push_back(text.substr(pos, end - pos));
    pos = end;
  }
  return out;
}

// RFC 1870: "SIZE" [SP number]; a missing, zero or unreadable number states no limit.
uint64_t size_parameter(const std::vector<std::string_view>& parameters) {
  if (parameters.empty()) return 0;
  uint64_t value = 0;
  for (char c : parameters.front()) {
    if (c < '0' || c > '9') return 0;
    const auto digit = static_cast<uint64_t>(c - '0');
    if (value > (std::numeric_limits<uint64_t>::max() - digit) / 10) return 0;
    value = value * 10 + digit;
  }
  return value;
}

}  // namespace

bool Capabilities::offers_auth(const std::string& mechanism) const {
  return std::find(auth.begin(), auth.end(), to_upper(mechanism)) != auth.end();
}

Capabilities Capabilities::from_ehlo(const Reply& ehlo) {
  Capabilities caps;
  caps.esmtp = true;
  for (size_t i = 1; i < ehlo.lines.size(); ++i) {
    const std::string& line = ehlo.lines[i];
    caps.keywords.push_back(line);
    // Old Outlook servers wrote "AUTH=LOGIN PLAIN": "=" ends the keyword there too.
    const size_t keyword_end = std::min(line.find_first_of(" \t="), line.size());
    const std::string keyword = to_upper(std::string_view(line).substr(0, keyword_end));
    const std::vector<std::string_view> parameters =
        words(std::string_view(line).substr(std::min(keyword_end + 1, line.size())));

    if (keyword == "PIPELINING") {
      caps.pipelining = true;
    } else if (keyword == "CHUNKING") {
      caps.chunking = true;
    } else if (keyword == "STARTTLS") {
      caps.starttls = true;
    } else if (keyword == "8BITMIME") {
      caps.eightbitmime = true;
    } else if (keyword == "SMTPUTF8") {
      caps.smtputf8 = true;
    } else if (keyword == "ENHANCEDSTATUSCODES") {
      caps.enhanced_status_codes = true;
    } else if (keyword == "DSN") {
      caps.dsn = true;
    } else if (keyword == "SIZE") {
      caps.size_advertised = true;
      caps.size_limit = size_parameter(parameters);
    } else if (keyword == "AUTH") {
      // Servers often send both "AUTH ..." and "AUTH=...": each mechanism once.
      for (std::string_view parameter : parameters) {
        std::string mechanism = to_upper(parameter);
        if (std::find(caps.auth.begin(), caps.auth.end(), mechanism) == caps.auth.end())
          caps.auth.push_back(std::move(mechanism));
      }
    }
  }
  return caps;
}

}  // namespace smtpx
