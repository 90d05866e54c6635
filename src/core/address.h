// Mailboxes as callers write them ("Name <user@example.com>", "user@example.com")
// and as SMTP and RFC 5322 need them. Validation happens here, before anything
// is sent, and names the field at fault.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace smtpx {

struct Mailbox {
  std::string display_name;  // UTF-8, unquoted; empty when none
  std::string address;       // local@domain, exactly as given (UTF-8 allowed)

  bool needs_smtputf8() const;  // a non-ASCII byte in the address
};

// Parses one mailbox. Throws InvalidInput naming `field` for an empty or
// malformed address, CR, LF or NUL anywhere, or a display name that cannot be
// represented.
Mailbox parse_mailbox(std::string_view text, const std::string& field);

// The address as a server takes it, in MAIL FROM and RCPT TO and in the header
// fields alike: as given when the server offers SMTPUTF8 or the address is
// ASCII, else with its domain in A-labels (RFC 5890). Throws InvalidInput naming
// `field` when the local part is non-ASCII and the server cannot take it, or when the ASCII form
// is over 254 octets.
std::string address_for_server(const Mailbox& mailbox, bool server_smtputf8, const std::string& field);

// Punycode (RFC 3492) of one domain, label by label, with the "xn--" prefix on
// the labels that need it. Throws InvalidInput naming `field` for bad UTF-8.
std::string domain_to_ascii(std::string_view domain, const std::string& field);

// Whether `name` is `domain` or a subdomain of it ("news.example.com" of "example.com",
// not "badexample.com"), ignoring case: DKIM's i= rule (RFC 6376 3.5) and, short of the
// Public Suffix List, DMARC's relaxed alignment.
bool is_within_domain(std::string_view name, std::string_view domain);

}  // namespace smtpx
