// Reading a DNS answer message (RFC 1035 4.1): the records of the type asked
// for, and what their RDATA says. Everything here reads untrusted bytes from
// the network: a malformed message or record is skipped, never read past its
// end (tests/fuzz/dns_answer_fuzz.cc holds it to that).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace smtpx::dns {

struct AnswerRecord {
  std::vector<unsigned char> rdata;
  // MX and PTR: the host name in the RDATA (after MX's preference), expanded
  // against the message's compression pointers (RFC 1035 4.1.4); else empty.
  std::string name;
};

// The answer-section records of `type` (ns_t_txt, ns_t_mx, ...) in `message`.
std::vector<AnswerRecord> answer_records(const unsigned char* message, size_t length, int type);

// TXT RDATA as one string: its <character-string>s joined (RFC 1035 3.3.14, RFC 7208 3.3).
std::string txt_text(const std::vector<unsigned char>& rdata);

// A or AAAA RDATA as an address in text; nothing when its length is not the type's.
std::optional<std::string> address_text(const std::vector<unsigned char>& rdata, int type);

}  // namespace smtpx::dns
