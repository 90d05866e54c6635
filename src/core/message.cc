#include "message.h"

#include <unordered_set>

#include "text/ascii.h"

namespace smtpx {

namespace {

// Two addresses name the same mailbox when their domains match in any case
// (RFC 5321 2.4); the local part may be case-sensitive, so it is kept exact.
std::string mailbox_key(const std::string& address) {
  const size_t at = address.rfind('@');
  if (at == std::string::npos) return address;
  return address.substr(0, at + 1) + text::to_lower(std::string_view(address).substr(at + 1));
}

}  // namespace

std::vector<Mailbox> Message::recipients() const {
  std::vector<Mailbox> out;
  std::unordered_set<std::string> seen;
  for (const std::vector<Mailbox>* list : {&to, &cc, &bcc}) {
    for (const Mailbox& mailbox : *list) {
      if (seen.insert(mailbox_key(mailbox.address)).second) out.push_back(mailbox);
    }
  }
  return out;
}

}  // namespace smtpx
