#include "resolver.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <arpa/nameser.h>
#include <netinet/in.h>
#include <resolv.h>

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

// The records of `type` in the answer section, as raw RDATA (with `answer`
// holding the whole message, for names compressed against it).
std::vector<std::vector<unsigned char>> Resolver::query(const std::string& name, int type,
                                                        std::vector<unsigned char>& answer) {
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
  answer.assign(65536, 0);
  const int length =
      res_nquery(&state.res, name.c_str(), ns_c_in, type, answer.data(), static_cast<int>(answer.size()));
  if (length < 0) {
    // NXDOMAIN and "no data" are answers; anything else means nobody could say.
    last_failed_ = state.res.res_h_errno != HOST_NOT_FOUND && state.res.res_h_errno != NO_DATA;
    return {};
  }
  answer.resize(static_cast<size_t>(length));
  ns_msg message;
  if (ns_initparse(answer.data(), length, &message) != 0) {
    last_failed_ = true;
    return {};
  }
  std::vector<std::vector<unsigned char>> records;
  for (int i = 0; i < ns_msg_count(message, ns_s_an); ++i) {
    ns_rr record;
    if (ns_parserr(&message, ns_s_an, i, &record) != 0 || ns_rr_type(record) != type) continue;
    records.emplace_back(ns_rr_rdata(record), ns_rr_rdata(record) + ns_rr_rdlen(record));
  }
  return records;
}

std::vector<std::string> Resolver::txt(const std::string& name) {
  std::vector<unsigned char> answer;
  std::vector<std::string> texts;
  for (const std::vector<unsigned char>& rdata : query(name, ns_t_txt, answer)) {
    // RFC 1035 3.3.14: one or more <character-string>s, each a length byte and its bytes.
    std::string text;
    for (size_t at = 0; at < rdata.size();) {
      const size_t length = rdata[at];
      if (at + 1 + length > rdata.size()) break;
      text.append(reinterpret_cast<const char*>(rdata.data() + at + 1), length);
      at += 1 + length;
    }
    texts.push_back(std::move(text));
  }
  return texts;
}

std::vector<MxRecord> Resolver::mx(const std::string& name) {
  std::vector<unsigned char> answer;
  std::vector<MxRecord> records;
  const auto rdatas = query(name, ns_t_mx, answer);
  ns_msg message;
  if (rdatas.empty() || ns_initparse(answer.data(), static_cast<int>(answer.size()), &message) != 0)
    return records;
  for (int i = 0; i < ns_msg_count(message, ns_s_an); ++i) {
    ns_rr record;
    if (ns_parserr(&message, ns_s_an, i, &record) != 0 || ns_rr_type(record) != ns_t_mx ||
        ns_rr_rdlen(record) < 3)
      continue;
    const unsigned char* rdata = ns_rr_rdata(record);
    char host[NS_MAXDNAME];
    if (dn_expand(ns_msg_base(message), ns_msg_end(message), rdata + 2, host, sizeof host) < 0) continue;
    records.push_back({(rdata[0] << 8) | rdata[1], host});
  }
  return records;
}

}  // namespace smtpx::dns
