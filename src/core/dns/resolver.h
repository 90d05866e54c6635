// DNS lookups for the domain check: TXT, MX, A/AAAA and PTR records through the system
// resolver (res_nquery, its own state per call, so threads and PHP's own
// lookups are not disturbed), or a nameserver given ("127.0.0.1:5353") for
// tests and for hosts with split DNS. Bounded: a few seconds per query.
#pragma once

#include <string>
#include <vector>

#include "answer.h"

namespace smtpx::dns {

struct MxRecord {
  int preference = 0;
  std::string host;
};

// The name a PTR record of `address` (IPv4 or IPv6) lives at: "10.2.0.192.in-addr.arpa";
// empty for text that is no address.
std::string reverse_name(const std::string& address);

class Resolver {
 public:
  // `nameserver` empty: the system's (resolv.conf). Else "IP" or "IP:port".
  // Throws InvalidInput naming "options.nameserver" for one that is not an address.
  explicit Resolver(std::string nameserver = {});

  // The TXT records at `name`, each one string (its pieces joined, RFC 7208
  // 3.3); empty when there are none. `lookups` counts the queries made.
  std::vector<std::string> txt(const std::string& name);
  std::vector<MxRecord> mx(const std::string& name);
  // The IPv4 and IPv6 addresses of `name` (A, then AAAA), as text.
  std::vector<std::string> addresses(const std::string& name);
  // The host names the reverse DNS gives for an IPv4 or IPv6 address (PTR); empty for
  // none, or for text that is no address.
  std::vector<std::string> ptr(const std::string& address);
  // Whether the last query failed for another reason than "no such record"
  // (a timeout, a server failure): the check then says it could not tell.
  bool last_failed() const { return last_failed_; }
  int lookups() const { return lookups_; }

 private:
  std::vector<AnswerRecord> query(const std::string& name, int type);

  std::string nameserver_;
  bool last_failed_ = false;
  int lookups_ = 0;
};

}  // namespace smtpx::dns
