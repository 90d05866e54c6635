// DNS lookups for the domain check: TXT and MX records through the system
// resolver (res_nquery, its own state per call, so threads and PHP's own
// lookups are not disturbed), or a nameserver given ("127.0.0.1:5353") for
// tests and for hosts with split DNS. Bounded: a few seconds per query.
#pragma once

#include <string>
#include <vector>

namespace smtpx::dns {

struct MxRecord {
  int preference = 0;
  std::string host;
};

class Resolver {
 public:
  // `nameserver` empty: the system's (resolv.conf). Else "IP" or "IP:port".
  // Throws InvalidInput naming "options.nameserver" for one that is not an address.
  explicit Resolver(std::string nameserver = {});

  // The TXT records at `name`, each one string (its pieces joined, RFC 7208
  // 3.3); empty when there are none. `lookups` counts the queries made.
  std::vector<std::string> txt(const std::string& name);
  std::vector<MxRecord> mx(const std::string& name);
  // Whether the last query failed for another reason than "no such record"
  // (a timeout, a server failure): the check then says it could not tell.
  bool last_failed() const { return last_failed_; }
  int lookups() const { return lookups_; }

 private:
  std::vector<std::vector<unsigned char>> query(const std::string& name, int type,
                                                std::vector<unsigned char>& answer);

  std::string nameserver_;
  bool last_failed_ = false;
  int lookups_ = 0;
};

}  // namespace smtpx::dns
