#include "answer.h"

#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <netinet/in.h>
#include <resolv.h>

namespace smtpx::dns {

std::vector<AnswerRecord> answer_records(const unsigned char* message, size_t length, int type) {
  std::vector<AnswerRecord> records;
  ns_msg parsed;
  if (length > 65535 || ns_initparse(message, static_cast<int>(length), &parsed) != 0) return records;
  const size_t name_at = type == ns_t_mx ? 2 : 0;
  for (int i = 0; i < ns_msg_count(parsed, ns_s_an); ++i) {
    ns_rr record;
    if (ns_parserr(&parsed, ns_s_an, i, &record) != 0 || ns_rr_type(record) != type) continue;
    const unsigned char* rdata = ns_rr_rdata(record);
    AnswerRecord found{{rdata, rdata + ns_rr_rdlen(record)}, {}};
    if (type == ns_t_mx || type == ns_t_ptr) {
      char host[NS_MAXDNAME];
      // The name must lie within the RDATA, and end there (compression may point back).
      const int used = ns_rr_rdlen(record) > name_at ? dn_expand(ns_msg_base(parsed), ns_msg_end(parsed),
                                                                 rdata + name_at, host, sizeof host)
                                                     : -1;
      if (used < 0 || name_at + static_cast<size_t>(used) != ns_rr_rdlen(record)) continue;
      found.name = host;
    }
    records.push_back(std::move(found));
  }
  return records;
}

std::string txt_text(const std::vector<unsigned char>& rdata) {
  std::string text;
  for (size_t at = 0; at < rdata.size();) {
    const size_t length = rdata[at];
    if (at + 1 + length > rdata.size()) break;
    text.append(reinterpret_cast<const char*>(rdata.data() + at + 1), length);
    at += 1 + length;
  }
  return text;
}

std::optional<std::string> address_text(const std::vector<unsigned char>& rdata, int type) {
  const int family = type == ns_t_a ? AF_INET : AF_INET6;
  char text[INET6_ADDRSTRLEN];
  if (rdata.size() != (type == ns_t_a ? 4u : 16u) || !inet_ntop(family, rdata.data(), text, sizeof text))
    return std::nullopt;
  return std::string(text);
}

}  // namespace smtpx::dns
