// DNS answers (src/core/dns/answer.*) as any nameserver, or anyone spoofing one,
// may send them, read as each record type the domain check asks for. Properties:
// nothing is read past the message (AddressSanitizer); a record's RDATA lies within
// the message; MX and PTR names are host names in text (no NUL, at most 1025
// characters as dn_expand writes them); TXT text is shorter than its RDATA (each
// string costs a length byte); an address reads back to the RDATA it came from.
#include <arpa/inet.h>
#include <arpa/nameser.h>

#include <cstring>
#include <string>

#include "core/dns/answer.h"
#include "properties.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace smtpx;
  using fuzz::require;
  for (const int type : {ns_t_txt, ns_t_mx, ns_t_ptr, ns_t_a, ns_t_aaaa}) {
    for (const dns::AnswerRecord& record : dns::answer_records(data, size, type)) {
      require(record.rdata.size() < size, "a record's RDATA lies within the message");
      if (type == ns_t_mx || type == ns_t_ptr) {
        require(record.name.size() < NS_MAXDNAME && record.name.find('\0') == std::string::npos,
                "an MX or PTR name is text of at most NS_MAXDNAME");
        require(type != ns_t_mx || record.rdata.size() >= 3, "an MX carries its preference and a name");
      } else if (type == ns_t_txt) {
        const std::string text = dns::txt_text(record.rdata);
        require(record.rdata.empty() || text.size() < record.rdata.size(),
                "TXT text is shorter than its RDATA");
      } else if (auto address = dns::address_text(record.rdata, type)) {
        unsigned char back[16];
        require(inet_pton(type == ns_t_a ? AF_INET : AF_INET6, address->c_str(), back) == 1 &&
                    std::memcmp(back, record.rdata.data(), record.rdata.size()) == 0,
                "an address reads back to its RDATA");
      }
    }
  }
  return 0;
}
