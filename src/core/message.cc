#include "message.h"

#include <cctype>
#include <unordered_set>

namespace smtpx {

namespace {

// Two addresses name the same mailbox when their domains match in any case
// (RFC 5321 2.4); the local part may be case-sensitive, so it is kept exact.
std::string mailbox_key(const std::string& address) {
  std::string key = address;
  const size_t at = key.rfind('@');
  if (at == std::string::npos) return key;
  for (size_t i = at + 1; i < key.size(); ++i)
    key[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(key[i])));
  return key;
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
