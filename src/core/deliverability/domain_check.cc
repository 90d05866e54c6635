#include "domain_check.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cstring>
#include <set>
#include <sstream>

#include "../address.h"
#include "../error.h"
#include "../text/ascii.h"

namespace smtpx::deliverability {

namespace {

// RFC 7208 4.6.4: more than 10 lookups is a permanent error at the receiver.
constexpr int kSpfLookupLimit = 10;

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

std::string quoted_record(const std::string& name, const std::string& value) {
  return name + " TXT \"" + value + "\"";
}

std::vector<std::string> spf_records(dns::Resolver& resolver, const std::string& name) {
  std::vector<std::string> found;
  for (const std::string& text : resolver.txt(name))
    if (lower(text.substr(0, 7)) == "v=spf1 " || lower(text) == "v=spf1") found.push_back(text);
  return found;
}

// Follows `record`'s include and redirect terms, counting the lookups each
// mechanism costs, and collects every domain it includes.
void walk_spf(dns::Resolver& resolver, const std::string& record, int depth, int& lookups,
              std::set<std::string>& includes) {
  std::istringstream terms(record);
  std::string term;
  terms >> term;  // v=spf1
  while (terms >> term) {
    std::string mechanism = lower(term);
    if (!mechanism.empty() && std::string("+-~?").find(mechanism[0]) != std::string::npos)
      mechanism.erase(0, 1);
    if (mechanism.rfind("include:", 0) == 0 || mechanism.rfind("redirect=", 0) == 0) {
      ++lookups;
      const std::string domain = mechanism.substr(mechanism[0] == 'i' ? 8 : 9);
      includes.insert(domain);
      if (depth < kSpfLookupLimit && lookups <= kSpfLookupLimit) {
        for (const std::string& included : spf_records(resolver, domain))
          walk_spf(resolver, included, depth + 1, lookups, includes);
      }
    } else if (mechanism == "a" || mechanism.rfind("a:", 0) == 0 || mechanism.rfind("a/", 0) == 0 ||
               mechanism == "mx" || mechanism.rfind("mx:", 0) == 0 || mechanism.rfind("mx/", 0) == 0 ||
               mechanism.rfind("ptr", 0) == 0 || mechanism.rfind("exists:", 0) == 0) {
      ++lookups;
    }
  }
}

// The record with `include` added before its "all" (or at the end).
std::string with_include(const std::string& record, const std::string& include) {
  const std::string lowered = lower(record);
  for (const char* all : {" -all", " ~all", " ?all", " +all", " all"}) {
    const size_t at = lowered.rfind(all);
    if (at != std::string::npos) return record.substr(0, at) + " include:" + include + record.substr(at);
  }
  return record + " include:" + include;
}

std::string tag(const std::string& record, const std::string& name) {
  std::istringstream parts(record);
  std::string part;
  while (std::getline(parts, part, ';')) {
    part.erase(0, part.find_first_not_of(" \t"));
    const size_t equals = part.find('=');
    if (equals != std::string::npos && lower(part.substr(0, equals)) == name) {
      std::string value = part.substr(equals + 1);
      value.erase(std::remove_if(value.begin(), value.end(), text::is_wsp), value.end());
      return value;
    }
  }
  return {};
}

void check_spf(const std::string& domain, const std::string& include, dns::Resolver& resolver,
               DomainReport& report) {
  const std::vector<std::string> records = spf_records(resolver, domain);
  const std::string suggested = include.empty() ? "v=spf1 mx ~all" : "v=spf1 include:" + include + " ~all";
  if (records.empty()) {
    report.findings.push_back({"spf", resolver.last_failed() ? "warning" : "error",
                               resolver.last_failed()
                                   ? "The DNS did not answer for SPF: try again."
                                   : domain + " publishes no SPF record, so receivers cannot tell "
                                              "which servers may send its mail.",
                               quoted_record(domain, suggested)});
    return;
  }
  if (records.size() > 1) {
    report.findings.push_back(
        {"spf", "error",
         domain + " publishes " + std::to_string(records.size()) +
             " SPF records; RFC 7208 3.2 allows one, and receivers treat this as an error: "
             "merge them.",
         ""});
  }
  report.spf = records.front();
  std::set<std::string> includes;
  int lookups = 0;
  walk_spf(resolver, report.spf, 0, lookups, includes);
  report.spf_lookups = lookups;
  if (lookups > kSpfLookupLimit) {
    report.findings.push_back(
        {"spf", "error",
         "SPF takes " + std::to_string(lookups) +
             " DNS lookups and receivers stop at 10 (a permanent error): remove includes "
             "no longer used or replace some by ip4:/ip6: ranges.",
         ""});
  }
  if (!include.empty()) {
    if (includes.count(include) != 0) {
      report.findings.push_back({"spf", "ok", "SPF authorizes the provider (" + include + ").", ""});
    } else {
      report.findings.push_back(
          {"spf", "error",
           "SPF does not authorize the provider this site sends through: add include:" + include + ".",
           quoted_record(domain, with_include(report.spf, include))});
    }
  } else if (lookups <= kSpfLookupLimit) {
    report.findings.push_back(
        {"spf", "ok", "SPF is published (" + std::to_string(lookups) + " lookups).", ""});
  }
}

void check_dkim(const std::string& domain, const std::vector<dkim::Signer>& signers, dns::Resolver& resolver,
                DomainReport& report) {
  if (signers.empty()) {
    report.findings.push_back(
        {"dkim", "info",
         "smtpx signs with no DKIM key of its own here: make sure the provider signs for " + domain +
             " (its domain authentication), or set dkim.",
         ""});
    return;
  }
  for (const dkim::Signer& signer : signers) {
    const dkim::DkimSettings& settings = signer.settings();
    const std::string name = settings.selector + "._domainkey." + settings.domain;
    const std::vector<std::string> records = resolver.txt(name);
    report.dkim.push_back(records.empty() ? std::string() : records.front());
    if (records.empty()) {
      report.findings.push_back(
          {"dkim", "error", "No DKIM key is published at " + name + ", so the signatures cannot be checked.",
           quoted_record(name, signer.public_record())});
    } else if (tag(records.front(), "p") != signer.public_key()) {
      report.findings.push_back(
          {"dkim", "error",
           "The key published at " + name +
               " is not the one smtpx signs with: publish this one (or set the matching key).",
           quoted_record(name, signer.public_record())});
    } else {
      report.findings.push_back({"dkim", "ok", "The DKIM key at " + name + " matches the signing key.", ""});
    }
  }
}

// DMARC (RFC 7489 3.1): mail passes when an authenticated domain aligns with the From
// domain. SPF's is the bounce domain, the provider's own unless set up otherwise, so
// smtpx's own DKIM signature is what it can align: d= the From domain (strict), or
// within the same domain (relaxed).
void check_alignment(const std::string& domain, const std::string& policy, bool strict,
                     const std::vector<dkim::Signer>& signers, DomainReport& report) {
  if (signers.empty() || (policy != "quarantine" && policy != "reject")) return;
  std::string signing;
  for (const dkim::Signer& signer : signers) {
    const std::string& d = signer.settings().domain;
    if (strict ? text::equals_ignoring_case(d, domain)
               : is_within_domain(d, domain) || is_within_domain(domain, d))
      return;
    signing += (signing.empty() ? "d=" : ", d=") + d;
  }
  report.findings.push_back(
      {"dmarc", "error",
       "DMARC p=" + policy + " asks receivers to " + (policy == "reject" ? "refuse" : "quarantine") +
           " mail from " + domain + " that no aligned domain authenticates, and smtpx signs with " + signing +
           ", which does not align" + (strict ? " (adkim=s: exactly " + domain + ")" : "") +
           ": sign with dkim.domain " + domain + " and publish its key.",
       ""});
}

void check_dmarc(const std::string& domain, const std::vector<dkim::Signer>& signers, dns::Resolver& resolver,
                 DomainReport& report) {
  const std::string name = "_dmarc." + domain;
  for (const std::string& text : resolver.txt(name))
    if (lower(text.substr(0, 8)) == "v=dmarc1") report.dmarc = text;
  if (report.dmarc.empty()) {
    report.findings.push_back(
        {"dmarc", "warning",
         domain + " publishes no DMARC policy: Gmail and Yahoo require one from bulk senders, and "
                  "without it nobody tells you about forged mail.",
         quoted_record(name, "v=DMARC1; p=none; rua=mailto:dmarc-reports@" + domain)});
    return;
  }
  const std::string policy = lower(tag(report.dmarc, "p"));
  if (policy == "none") {
    report.findings.push_back({"dmarc", "info",
                               "DMARC only monitors (p=none); once reports show only your own mail, move to "
                               "p=quarantine.",
                               ""});
  } else if (policy == "quarantine" || policy == "reject") {
    report.findings.push_back({"dmarc", "ok", "DMARC policy p=" + policy + ".", ""});
  } else {
    report.findings.push_back({"dmarc", "error",
                               "The DMARC record has no valid policy (p=none, quarantine or reject).",
                               quoted_record(name, "v=DMARC1; p=none; rua=mailto:dmarc-reports@" + domain)});
  }
  if (tag(report.dmarc, "rua").empty())
    report.findings.push_back(
        {"dmarc", "info",
         "DMARC asks for no aggregate reports (rua): add one to see who sends as " + domain + ".", ""});
  check_alignment(domain, policy, lower(tag(report.dmarc, "adkim")) == "s", signers, report);
  if (lower(tag(report.dmarc, "adkim")) == "s" || lower(tag(report.dmarc, "aspf")) == "s")
    report.findings.push_back({"dmarc", "info",
                               "DMARC asks for strict alignment: the provider must sign and bounce with " +
                                   domain + " itself, not a subdomain.",
                               ""});
}

void check_mx(const std::string& domain, dns::Resolver& resolver, DomainReport& report) {
  report.mx = resolver.mx(domain);
  if (report.mx.empty()) {
    report.findings.push_back(
        {"mx", "warning",
         domain + " has no MX record: replies and bounces to it cannot be delivered, and some "
                  "receivers distrust such senders.",
         ""});
  } else {
    report.findings.push_back(
        {"mx", "ok", domain + " receives mail (MX " + report.mx.front().host + ").", ""});
  }
}

// Private, loopback and link-local addresses are not what receivers see: the
// server's public address (NAT, a proxy) is, so their PTR is not checked.
bool is_public(const std::string& address) {
  unsigned char bytes[16];
  if (inet_pton(AF_INET, address.c_str(), bytes) == 1)
    return !(bytes[0] == 10 || bytes[0] == 127 || (bytes[0] == 172 && (bytes[1] & 0xf0) == 16) ||
             (bytes[0] == 192 && bytes[1] == 168) || (bytes[0] == 169 && bytes[1] == 254) ||
             (bytes[0] == 100 && (bytes[1] & 0xc0) == 64) || bytes[0] == 0);
  if (inet_pton(AF_INET6, address.c_str(), bytes) == 1) {
    static const unsigned char loopback[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    return std::memcmp(bytes, loopback, 16) != 0 && (bytes[0] & 0xfe) != 0xfc &&
           !(bytes[0] == 0xfe && (bytes[1] & 0xc0) == 0x80);
  }
  return false;
}

// Receivers distrust a server whose address has no PTR, or one that does not
// resolve back to the address (Gmail's sender guidelines require both).
void check_reverse_dns(const std::string& server, dns::Resolver& resolver, DomainReport& report) {
  report.server = lower(server);
  unsigned char literal[16];
  const bool is_literal =
      inet_pton(AF_INET, server.c_str(), literal) == 1 || inet_pton(AF_INET6, server.c_str(), literal) == 1;
  const std::vector<std::string> addresses =
      is_literal ? std::vector<std::string>{server} : resolver.addresses(report.server);
  if (addresses.empty()) {
    report.findings.push_back(
        {"reverse_dns", "warning",
         resolver.last_failed()
             ? "The DNS did not answer for " + server + ": try again."
             : server + " has no address in the DNS, so its reverse DNS cannot be checked.",
         ""});
    return;
  }
  for (const std::string& address : addresses) {
    ReverseDns entry{address, {}, false};
    if (!is_public(address)) {
      report.reverse_dns.push_back(entry);
      report.findings.push_back(
          {"reverse_dns", "info",
           server + " is at the private address " + address +
               ": receivers see the public address it sends from; check that one's reverse DNS.",
           ""});
      continue;
    }
    const std::vector<std::string> names = resolver.ptr(address);
    if (names.empty()) {
      report.reverse_dns.push_back(entry);
      report.findings.push_back(
          {"reverse_dns", "error",
           "The address " + address + " of " + server +
               " has no reverse DNS (PTR): ask whoever runs the address (the hosting provider) to set it "
               "to " +
               (is_literal ? "the server's name" : report.server) + ".",
           is_literal ? "" : dns::reverse_name(address) + " PTR " + report.server + "."});
      continue;
    }
    entry.ptr = lower(names.front());
    const std::vector<std::string> back = resolver.addresses(entry.ptr);
    entry.confirmed = std::find(back.begin(), back.end(), address) != back.end();
    report.reverse_dns.push_back(entry);
    if (entry.confirmed) {
      report.findings.push_back(
          {"reverse_dns", "ok",
           "The reverse DNS of " + address + " is " + entry.ptr + ", which resolves back to it.", ""});
    } else {
      report.findings.push_back(
          {"reverse_dns", "error",
           "The reverse DNS of " + address + " is " + entry.ptr +
               ", which does not resolve back to it (not forward-confirmed): point the PTR at a name with "
               "this address, or add the address to " +
               entry.ptr + ".",
           is_literal ? "" : dns::reverse_name(address) + " PTR " + report.server + "."});
    }
  }
}

}  // namespace

std::string self_hosted_server(const delivery::Transport& transport) {
  if (!transport.api.name.empty() || !provider_spf_include(transport).empty()) return {};
  return transport.host;
}

std::string provider_spf_include(const delivery::Transport& transport) {
  const std::string api = transport.api.name;
  const std::string host = lower(transport.host);
  if (api == "sendgrid" || ends_with(host, ".sendgrid.net")) return "sendgrid.net";
  if (api == "mailgun" || ends_with(host, ".mailgun.org")) return "mailgun.org";
  if (api == "ses" || (ends_with(host, ".amazonaws.com") && host.rfind("email-smtp.", 0) == 0))
    return "amazonses.com";
  if (api == "postmark" || ends_with(host, ".postmarkapp.com")) return "spf.mtasv.net";
  if (api == "brevo" || ends_with(host, ".brevo.com") || ends_with(host, ".sendinblue.com"))
    return "spf.brevo.com";
  if (host == "smtp.gmail.com" || host == "smtp-relay.gmail.com" || ends_with(host, ".google.com"))
    return "_spf.google.com";
  if (ends_with(host, ".office365.com") || ends_with(host, ".outlook.com"))
    return "spf.protection.outlook.com";
  return {};
}

DomainReport check_domain(const std::string& domain, const std::string& provider_include,
                          const std::vector<dkim::Signer>& signers, dns::Resolver& resolver,
                          const std::string& server) {
  const std::string name = lower(domain);
  if (name.empty() || name.size() > 253 ||
      name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789.-_") != std::string::npos ||
      name.find('.') == std::string::npos)
    throw InvalidInput("domain", "must be a domain name such as example.com (punycode for IDNs)");
  DomainReport report;
  report.domain = name;
  report.provider_include = provider_include;
  check_spf(name, report.provider_include, resolver, report);
  check_dkim(name, signers, resolver, report);
  check_dmarc(name, signers, resolver, report);
  check_mx(name, resolver, report);
  if (!server.empty()) check_reverse_dns(server, resolver, report);
  return report;
}

}  // namespace smtpx::deliverability
