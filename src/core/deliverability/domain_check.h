// "Will mail from this domain land in the inbox?", as the DNS of the From
// domain answers it: SPF (followed through include and redirect, its DNS
// lookups counted against RFC 7208's limit of 10, and whether it authorizes
// the provider the transport sends through), the DKIM selector's record
// against the key smtpx signs with, DMARC (policy, alignment, reports) and MX.
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
  std::string check;     // "spf", "dkim", "dmarc", "mx"
  std::string severity;  // "ok", "info", "warning", "error"
  std::string message;
  std::string record;  // 'name TXT "value"' to publish, or empty
};

struct DomainReport {
  std::string domain;
  std::string spf;  // the domain's SPF record, empty when none
  int spf_lookups = 0;
  std::string provider_include;  // the SPF include of the transport's provider, empty when unknown
  std::string dmarc;
  std::vector<std::string> dkim;  // the selectors' records, in the transport's order
  std::vector<dns::MxRecord> mx;
  std::vector<Finding> findings;
};

// The SPF include that authorizes the provider behind `transport`'s host or
// API ("sendgrid.net", "_spf.google.com", ...), or empty for a server of one's own.
std::string provider_spf_include(const delivery::Transport& transport);

// `provider_include`: provider_spf_include() of the transport, or empty;
// `signers`: the keys the transport signs with. Throws InvalidInput naming
// "domain" for a name that is not a domain.
DomainReport check_domain(const std::string& domain, const std::string& provider_include,
                          const std::vector<dkim::Signer>& signers, dns::Resolver& resolver);

}  // namespace smtpx::deliverability
