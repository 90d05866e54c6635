#include "resolver.h"

#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <netdb.h>
#include <netinet/in.h>
#include <resolv.h>

#include <algorithm>
#include <cstring>

#include "../error.h"

namespace smtpx::dns {

namespace {

// One resolver state per query, closed on every path.
struct State {
  struct __res_state res {};
  bool opened = false;
  ~State() {
    if (opened) res_nclose(&res);
  }
};

bool parse_nameserver(const std::string& text, sockaddr_in& address) {
  std::string ip = text;
  int port = 53;
  if (const size_t colon = text.rfind(':'); colon != std::string::npos) {
    ip = text.substr(0, colon);
    port = std::atoi(text.c_str() + colon + 1);
  }
  address = {};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  return port > 0 && port < 65536 && inet_pton(AF_INET, ip.c_str(), &address.sin_addr) == 1;
}

}  // namespace

Resolver::Resolver(std::string nameserver) : nameserver_(std::move(nameserver)) {
  sockaddr_in address{};
  if (!nameserver_.empty() && !parse_nameserver(nameserver_, address))
    throw InvalidInput("options.nameserver",
                       "must be an IPv4 address, optionally with :port, e.g. 127.0.0.1:5353");
}

// The records of `type` in the answer, or none (NXDOMAIN, no data, a failure:
// last_failed_ tells the last apart).
std::vector<AnswerRecord> Resolver::query(const std::string& name, int type) {
  ++lookups_;
  last_failed_ = false;
  State state;
  if (res_ninit(&state.res) != 0) {
    last_failed_ = true;
    return {};
  }
  state.opened = true;
  state.res.retrans = 2;  // seconds per try
  state.res.retry = 2;
  if (!nameserver_.empty()) {
    sockaddr_in address{};
    parse_nameserver(nameserver_, address);
    state.res.nsaddr_list[0] = address;
    state.res.nscount = 1;
  }
  std::vector<unsigned char> answer(65536, 0);
  const int length =
      res_nquery(&state.res, name.c_str(), ns_c_in, type, answer.data(), static_cast<int>(answer.size()));
  if (length < 0) {
    // NXDOMAIN and "no data" are answers; anything else means nobody could say.
    last_failed_ = state.res.res_h_errno != HOST_NOT_FOUND && state.res.res_h_errno != NO_DATA;
    return {};
  }
  // A truncated answer says how long it would have been.
  return answer_records(answer.data(), std::min(static_cast<size_t>(length), answer.size()), type);
}

std::vector<std::string> Resolver::txt(const std::string& name) {
  std::vector<std::string> texts;
  for (const AnswerRecord& record : query(name, ns_t_txt)) texts.push_back(txt_text(record.rdata));
  return texts;
}

std::vector<MxRecord> Resolver::mx(const std::string& name) {
  std::vector<MxRecord> records;
  for (AnswerRecord& record : query(name, ns_t_mx))
    records.push_back({(record.rdata[0] << 8) | record.rdata[1], std::move(record.name)});
  return records;
}

std::string reverse_name(const std::string& address) {
  std::string name;
  unsigned char bytes[16];
  if (inet_pton(AF_INET, address.c_str(), bytes) == 1) {
    // RFC 1035 3.5: the octets in reverse under in-addr.arpa.
    for (int i = 3; i >= 0; --i) name += std::to_string(bytes[i]) + ".";
    return name + "in-addr.arpa";
  }
  if (inet_pton(AF_INET6, address.c_str(), bytes) == 1) {
    // RFC 3596 2.5: the nibbles in reverse under ip6.arpa.
    static const char digits[] = "0123456789abcdef";
    for (int i = 15; i >= 0; --i) {
      name += digits[bytes[i] & 0xf];
      name += '.';
      name += digits[bytes[i] >> 4];
      name += '.';
    }
    return name + "ip6.arpa";
  }
  return {};
}

std::vector<std::string> Resolver::ptr(const std::string& address) {
  const std::string name = reverse_name(address);
  if (name.empty()) return {};
  std::vector<std::string> hosts;
  for (AnswerRecord& record : query(name, ns_t_ptr)) hosts.push_back(std::move(record.name));
  return hosts;
}

std::vector<std::string> Resolver::addresses(const std::string& name) {
  std::vector<std::string> found;
  bool failed = false;
  for (const int type : {ns_t_a, ns_t_aaaa}) {
    for (const AnswerRecord& record : query(name, type))
      if (auto address = address_text(record.rdata, type)) found.push_back(std::move(*address));
    failed = failed || last_failed_;
  }
  last_failed_ = failed;
  return found;
}

}  // namespace smtpx::dns
