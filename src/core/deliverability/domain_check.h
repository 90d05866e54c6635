// "Will mail from this domain land in the inbox?", as the DNS of the From
// domain answers it: SPF (followed through include and redirect, its DNS
// lookups counted against RFC 7208's limit of 10, and whether it authorizes
// the provider the transport sends through), the DKIM selector's record
// against the key smtpx signs with, DMARC (policy, alignment with the signing
// domain, reports), MX, and for a server of one's own its reverse DNS.
// Each finding is a plain sentence and, when something is missing or wrong,
// the exact record to publish.
#pragma once

#include <string>
#include <vector>

#include "../delivery/transport.h"
#include "../dkim/signer.h"
#include "../dns/resolver.h"

namespace smtpx::deliverability {

struct Finding {
  std::string check;     // "spf", "dkim", "dmarc", "mx", "reverse_dns"
  std::string severity;  // "ok", "info", "warning", "error"
  std::string message;
  std::string record;  // 'name TXT "value"' to publish, or empty
};

// One address of the sending server and what its reverse DNS says (RFC 1912 2.1:
// a PTR whose name resolves back to the address, "forward-confirmed").
struct ReverseDns {
  std::string address;
  std::string ptr;  // the first PTR name, empty when none
  bool confirmed = false;
};

struct DomainReport {
  std::string domain;
  std::string spf;  // the domain's SPF record, empty when none
  int spf_lookups = 0;
  std::string provider_include;  // the SPF include of the transport's provider, empty when unknown
  std::string dmarc;
  std::vector<std::string> dkim;  // the selectors' records, in the transport's order
  std::vector<dns::MxRecord> mx;
  std::string server;                   // the self-hosted server checked, empty when none
  std::vector<ReverseDns> reverse_dns;  // its addresses
  std::vector<Finding> findings;
};

// The SPF include that authorizes the provider behind `transport`'s host or
// API ("sendgrid.net", "_spf.google.com", ...), or empty for a server of one's own.
std::string provider_spf_include(const delivery::Transport& transport);

// The host of an SMTP transport that is no known provider's (a server of one's
// own, whose reverse DNS receivers judge), or empty.
std::string self_hosted_server(const delivery::Transport& transport);

// `provider_include`: provider_spf_include() of the transport, or empty;
// `signers`: the keys the transport signs with; `server`: self_hosted_server()
// of the transport, or empty. Throws InvalidInput naming "domain" for a name
// that is not a domain.
DomainReport check_domain(const std::string& domain, const std::string& provider_include,
                          const std::vector<dkim::Signer>& signers, dns::Resolver& resolver,
                          const std::string& server = {});

}  // namespace smtpx::deliverability
