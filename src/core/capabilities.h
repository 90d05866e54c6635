// What a server offers, read from its EHLO reply (RFC 5321 4.1.1.1): the
// extension keywords this client uses, with their parameters.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "reply.h"

namespace smtpx {

struct Capabilities {
  bool esmtp = false;  // false after a HELO fallback: no extension may be used
  bool pipelining = false;
  bool chunking = false;
  bool starttls = false;
  bool eightbitmime = false;
  bool smtputf8 = false;
  bool enhanced_status_codes = false;
  bool dsn = false;
  bool size_advertised = false;
  uint64_t size_limit = 0;            // 0: no limit stated
  std::vector<std::string> auth;      // upper-case mechanism names, in server order
  std::vector<std::string> keywords;  // every EHLO line after the first, as sent

  bool offers_auth(const std::string& mechanism) const;
  // Parses an EHLO reply (the first line is the server's greeting text).
  // Keywords are case-insensitive; "AUTH=LOGIN" (old Outlook style) counts too.
  static Capabilities from_ehlo(const Reply& ehlo);
};

}  // namespace smtpx
