// Mailboxes: what callers write ("Name <user@example.com>") parsed into a
// display name and an address, the address checked against RFC 5321 4.1.2 and
// RFC 5322 3.4.1 (with RFC 6531's UTF-8 in both parts), and internationalised
// domains turned into their ASCII form (RFC 5890 A-labels, RFC 3492 Punycode)
// for servers that cannot take UTF-8. Every refusal says what is wrong and
// quotes the offending text, so the caller can fix it without guessing.
#include "address.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cstdint>

#include "error.h"
#include "text/ascii.h"
#include "text/escape.h"
#include "text/utf8.h"

namespace smtpx {

using text::decode_utf8;
using text::equals_ignoring_case;
using text::is_ascii;
using text::is_atext;
using text::is_control;
using text::is_letter_or_digit;
using text::is_valid_utf8;
using text::is_wsp;
using text::to_lower;

namespace {

constexpr size_t kMaxLocalPart = 64;  // RFC 5321 4.5.3.1.1
constexpr size_t kMaxAddress = 254;   // RFC 5321 4.5.3.1.3: a path of 256 octets less "<" and ">"
constexpr size_t kMaxDomain = 255;    // RFC 5321 4.5.3.1.2
constexpr size_t kMaxLabel = 63;      // RFC 1035 2.3.4
constexpr size_t kMaxQuotedBytes = 100;

std::string_view trim(std::string_view text) {
  while (!text.empty() && is_wsp(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_wsp(text.back())) text.remove_suffix(1);
  return text;
}

// An address or a label as a refusal quotes it.
std::string quoted(std::string_view text) {
  return text::quoted(text, kMaxQuotedBytes);
}

// Unicode spaces and C1 controls: invisible in a form, never part of an address.
bool is_unicode_space(char32_t point) {
  return (point >= 0x80 && point <= 0xa0) || point == 0x1680 || (point >= 0x2000 && point <= 0x200b) ||
         point == 0x2028 || point == 0x2029 || point == 0x202f || point == 0x205f || point == 0x3000 ||
         point == 0xfeff;
}

// RFC 3492 6.3, with the parameters of section 5. Basic code points are copied,
// then each other code point is encoded as a variable-length delta. 64-bit
// deltas cannot overflow for any string that fits in memory.
std::string punycode(const std::u32string& input) {
  constexpr uint64_t kBase = 36, kTmin = 1, kTmax = 26, kSkew = 38, kDamp = 700;
  constexpr uint64_t kInitialBias = 72, kInitialN = 0x80;
  const auto digit = [](uint64_t d) { return static_cast<char>(d < 26 ? 'a' + d : '0' + (d - 26)); };
  // RFC 3492 6.1
  const auto adapt = [&](uint64_t delta, uint64_t points, bool first) {
    delta = first ? delta / kDamp : delta / 2;
    delta += delta / points;
    uint64_t k = 0;
    while (delta > ((kBase - kTmin) * kTmax) / 2) {
      delta /= kBase - kTmin;
      k += kBase;
    }
    return k + (kBase - kTmin + 1) * delta / (delta + kSkew);
  };

  std::string out;
  for (char32_t point : input)
    if (point < kInitialN) out.push_back(static_cast<char>(point));
  const uint64_t basic = out.size();
  if (basic > 0) out.push_back('-');

  uint64_t n = kInitialN, delta = 0, bias = kInitialBias, handled = basic;
  while (handled < input.size()) {
    uint64_t next = UINT64_MAX;
    for (char32_t point : input)
      if (point >= n && point < next) next = point;
    delta += (next - n) * (handled + 1);
    n = next;
    for (char32_t point : input) {
      if (point < n) ++delta;
      if (point != n) continue;
      uint64_t q = delta;
      for (uint64_t k = kBase;; k += kBase) {
        const uint64_t t = k <= bias ? kTmin : (k >= bias + kTmax ? kTmax : k - bias);
        if (q < t) break;
        out.push_back(digit(t + (q - t) % (kBase - t)));
        q = (q - t) / (kBase - t);
      }
      out.push_back(digit(q));
      bias = adapt(delta, handled + 1, handled == basic);
      delta = 0;
      ++handled;
    }
    ++delta;
    ++n;
  }
  return out;
}

// One label (valid UTF-8) in ASCII: lower-cased, and "xn--" + Punycode when it
// holds anything beyond ASCII (RFC 5890 2.3.2.1).
std::string label_to_ascii(std::string_view label) {
  const std::string lowered = to_lower(label);
  if (is_ascii(lowered)) return lowered;
  std::u32string points;
  decode_utf8(lowered, points);
  return "xn--" + punycode(points);
}

// RFC 5322 3.4.1 local part: a dot-atom or a quoted string, UTF-8 allowed
// (RFC 6531 3.3). Returns what is wrong, or empty.
std::string local_part_problem(std::string_view local) {
  if (local.size() > kMaxLocalPart)
    return " has a local part of " + std::to_string(local.size()) + " octets; at most " +
           std::to_string(kMaxLocalPart) + " are allowed (RFC 5321 4.5.3.1.1)";
  if (local.front() == '"') {
    if (local.size() < 2 || local.back() != '"') return " has an unbalanced double quote";
    const std::string_view inner = local.substr(1, local.size() - 2);
    for (size_t i = 0; i < inner.size(); ++i) {
      const auto byte = static_cast<unsigned char>(inner[i]);
      // RFC 5321 4.1.2 qtextSMTP and quoted-pairSMTP: printable ASCII and
      // space (UTF-8 beyond, RFC 6531); never a control byte.
      if (byte < 0x20 || byte == 0x7f) return " has a control character in its quoted local part";
      // Valid inside quotes, but servers that end the path at the first '>'
      // would read the rest as MAIL or RCPT parameters ("\"> SIZE=1\"@x").
      if (byte == '<' || byte == '>')
        return " has '" + std::string(1, inner[i]) + "' in its quoted local part";
      if (inner[i] == '\\') {
        // A quoted-pair; a backslash last would escape the closing quote.
        if (++i == inner.size()) return " has an unbalanced double quote";
        const auto escaped = static_cast<unsigned char>(inner[i]);
        if (escaped < 0x20 || escaped == 0x7f) return " has a control character in its quoted local part";
        // Escaped, a '>' ends the path just as well for those servers (found by fuzzing).
        if (escaped == '<' || escaped == '>')
          return " has '" + std::string(1, inner[i]) + "' in its quoted local part";
      } else if (inner[i] == '"') {
        return " has an unbalanced double quote";
      }
    }
    return {};
  }
  for (size_t i = 0; i < local.size(); ++i) {
    const char c = local[i];
    if (c == '.') {
      if (i == 0 || i + 1 == local.size() || local[i + 1] == '.')
        return " has a dot at the start or end of its local part, or two dots in a row; quote the local part "
               "(\"a..b\"@example.com) if it really is so";
    } else if (is_wsp(c)) {
      return " contains a space; an address has none (to add a name, write \"Name <user@example.com>\")";
    } else if (c == '"') {
      return " has an unbalanced double quote";
    } else if (c == '@') {
      return " has more than one @";
    } else if (!is_atext(c) && static_cast<unsigned char>(c) < 0x80) {
      return " has '" + std::string(1, c) +
             "' in its local part, which only a quoted local part may hold (\"...\"@example.com)";
    }
  }
  return {};
}

// An address literal (RFC 5321 4.1.3): [IPv4] or [IPv6:...].
bool is_address_literal(std::string_view inner) {
  unsigned char binary[16];
  constexpr std::string_view kIpv6Tag = "ipv6:";
  if (inner.size() > kIpv6Tag.size()) {
    if (equals_ignoring_case(inner.substr(0, kIpv6Tag.size()), kIpv6Tag))
      return inet_pton(AF_INET6, std::string(inner.substr(kIpv6Tag.size())).c_str(), binary) == 1;
  }
  return inet_pton(AF_INET, std::string(inner).c_str(), binary) == 1;
}

// RFC 5321 4.1.2 Domain: labels of letters, digits and hyphens (RFC 1123 2.1),
// or UTF-8 labels (RFC 6531 3.3), or an address literal. Returns what is wrong, or empty.
std::string domain_problem(std::string_view domain) {
  if (domain.front() == '[') {
    if (domain.back() != ']') return " has an address literal without its closing ]";
    if (!is_address_literal(domain.substr(1, domain.size() - 2)))
      return " has the address literal " + quoted(domain) +
             ", which is neither an IPv4 address like [192.0.2.1] nor an IPv6 address like "
             "[IPv6:2001:db8::1]";
    return {};
  }
  size_t ascii_length = 0;
  size_t start = 0;
  for (;;) {
    const size_t end = std::min(domain.find('.', start), domain.size());
    const std::string_view label = domain.substr(start, end - start);
    if (label.empty())
      return " has an empty label in its domain (a dot at the start or end, or two dots in a row)";
    for (char c : label) {
      if (is_wsp(c))
        return " contains a space; an address has none (to add a name, write \"Name <user@example.com>\")";
      if (static_cast<unsigned char>(c) < 0x80 && !is_letter_or_digit(c) && c != '-')
        return " has '" + std::string(1, c) + "' in the domain label " + quoted(label) +
               "; a label may hold only letters, digits and hyphens";
    }
    if (label.front() == '-' || label.back() == '-')
      return " has the domain label " + quoted(label) + ", which starts or ends with a hyphen";
    const size_t label_length = label_to_ascii(label).size();
    if (label_length > kMaxLabel)
      return " has the domain label " + quoted(label) + " of " + std::to_string(label_length) +
             " octets in ASCII form; at most " + std::to_string(kMaxLabel) + " are allowed (RFC 1035 2.3.4)";
    ascii_length += label_length + (start == 0 ? 0 : 1);
    if (end == domain.size()) break;
    start = end + 1;
  }
  if (ascii_length > kMaxDomain)
    return " has a domain of " + std::to_string(ascii_length) + " octets in ASCII form; at most " +
           std::to_string(kMaxDomain) + " are allowed (RFC 5321 4.5.3.1.2)";
  return {};
}

const char kNotUtf8[] = "is not valid UTF-8; convert the text to UTF-8 first";

// What is wrong with an address (local@domain), or empty when nothing is.
std::string address_problem(std::string_view address) {
  if (address.empty()) return "the address is empty; give one such as user@example.com";
  std::u32string points;
  if (!decode_utf8(address, points)) return std::string("the address ") + kNotUtf8;
  const std::string shown = quoted(address);
  if (std::any_of(address.begin(), address.end(), [](char c) { return is_control(c) && !is_wsp(c); }))
    return shown + " contains a control character";
  if (std::any_of(points.begin(), points.end(), is_unicode_space))
    return shown +
           " contains an invisible character (a non-breaking space or a control), often pasted in "
           "by accident: type the address again";
  if (address.size() > kMaxAddress)
    return shown + " is " + std::to_string(address.size()) + " octets long; at most " +
           std::to_string(kMaxAddress) + " are allowed (RFC 5321 4.5.3.1.3)";
  const size_t at = address.rfind('@');
  if (at == std::string_view::npos) return shown + " has no @; an address looks like user@example.com";
  const std::string_view local = address.substr(0, at);
  const std::string_view domain = address.substr(at + 1);
  if (local.empty()) return shown + " has nothing before the @";
  if (domain.empty()) return shown + " has no domain after the @";
  std::string problem = local_part_problem(local);
  if (problem.empty()) problem = domain_problem(domain);
  return problem.empty() ? problem : shown + problem;
}

// Where "<" and ">" stand outside quoted strings, and whether the quotes balance.
struct Structure {
  std::vector<size_t> opens, closes;
  size_t ats = 0;          // "@" outside quotes
  bool separated = false;  // a space, "," or ";" outside quotes
  bool quotes_balanced = true;
};

Structure structure_of(std::string_view text) {
  Structure found;
  bool in_quotes = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_quotes) {
      if (c == '\\')
        ++i;  // RFC 5322 3.2.4 quoted-pair
      else if (c == '"')
        in_quotes = false;
      continue;
    }
    if (c == '"')
      in_quotes = true;
    else if (c == '<')
      found.opens.push_back(i);
    else if (c == '>')
      found.closes.push_back(i);
    else if (c == '@')
      ++found.ats;
    else if (is_wsp(c) || c == ',' || c == ';')
      found.separated = true;
  }
  found.quotes_balanced = !in_quotes;
  return found;
}

// RFC 5322 3.2.5 phrase: quoted strings lose their quotes and escapes, the rest is kept.
std::string unquote_name(std::string_view name) {
  std::string out;
  bool in_quotes = false;
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    if (c == '"') {
      in_quotes = !in_quotes;
    } else if (in_quotes && c == '\\' && i + 1 < name.size()) {
      out.push_back(name[++i]);
    } else {
      out.push_back(c);
    }
  }
  return std::string(trim(out));
}

constexpr char kMoreThanOne[] = "holds more than one address; give each address as its own list element";

}  // namespace

bool Mailbox::needs_smtputf8() const {
  return !is_ascii(address);
}

Mailbox parse_mailbox(std::string_view text, const std::string& field) {
  // CR or LF would end a header or an SMTP command early: an injection, never a typo to repair.
  for (char c : text) {
    if (c == '\r' || c == '\n')
      throw InvalidInput(field, "contains a line break (CR or LF); a mailbox is one line of text");
    if (c == '\0') throw InvalidInput(field, "contains a NUL byte");
  }
  if (!is_valid_utf8(text)) throw InvalidInput(field, kNotUtf8);
  const std::string_view trimmed = trim(text);
  if (trimmed.empty()) throw InvalidInput(field, "is empty; give an address such as user@example.com");

  const Structure structure = structure_of(trimmed);
  if (!structure.quotes_balanced)
    throw InvalidInput(field, quoted(trimmed) + " has an unbalanced double quote");
  Mailbox mailbox;
  std::string_view address = trimmed;
  if (structure.opens.empty() && structure.closes.empty()) {
    if (structure.ats > 1 && structure.separated) throw InvalidInput(field, kMoreThanOne);
  } else {
    if (structure.opens.size() != structure.closes.size() ||
        structure.opens.front() > structure.closes.front())
      throw InvalidInput(
          field, quoted(trimmed) + " has unbalanced angle brackets; write \"Name <user@example.com>\"");
    if (structure.opens.size() > 1) throw InvalidInput(field, kMoreThanOne);
    const size_t open = structure.opens.front();
    const size_t close = structure.closes.front();
    if (close + 1 != trimmed.size()) {
      if (trimmed.find('@', close) != std::string_view::npos) throw InvalidInput(field, kMoreThanOne);
      throw InvalidInput(
          field, quoted(trimmed) + " has text after the closing >; write \"Name <user@example.com>\"");
    }
    mailbox.display_name = unquote_name(trimmed.substr(0, open));
    if (std::any_of(mailbox.display_name.begin(), mailbox.display_name.end(), is_control))
      throw InvalidInput(
          field, "the display name " + quoted(mailbox.display_name) + " contains a control character");
    address = trim(trimmed.substr(open + 1, close - open - 1));
    if (address.empty()) throw InvalidInput(field, quoted(trimmed) + " has no address between < and >");
  }
  const std::string problem = address_problem(address);
  if (!problem.empty()) throw InvalidInput(field, problem);
  mailbox.address = std::string(address);
  return mailbox;
}

std::string address_for_server(const Mailbox& mailbox, bool server_smtputf8, const std::string& field) {
  if (server_smtputf8 || !mailbox.needs_smtputf8()) return mailbox.address;
  const std::string_view address = mailbox.address;
  const size_t at = address.rfind('@');
  const std::string_view local = address.substr(0, at);
  if (at == std::string_view::npos || !is_ascii(local))
    throw InvalidInput(field,
                       quoted(address) +
                           " has a non-ASCII local part and the server does not offer SMTPUTF8 (RFC 6531): "
                           "use an ASCII address, or a server that supports SMTPUTF8");
  // RFC 5890: without SMTPUTF8 the domain travels as A-labels.
  std::string ascii = std::string(local) + "@" + domain_to_ascii(address.substr(at + 1), field);
  // A-labels are longer than the UTF-8 they encode, so an address within the
  // limit as given can exceed it here (found by fuzzing): refuse it before MAIL
  // rather than let the server refuse a path over 256 octets.
  if (ascii.size() > kMaxAddress)
    throw InvalidInput(field, quoted(address) + " is " + std::to_string(ascii.size()) +
                                  " octets long with its domain in ASCII form (the server does not offer "
                                  "SMTPUTF8); at most " +
                                  std::to_string(kMaxAddress) + " are allowed (RFC 5321 4.5.3.1.3)");
  return ascii;
}

std::string domain_to_ascii(std::string_view domain, const std::string& field) {
  if (!is_valid_utf8(domain)) throw InvalidInput(field, std::string("the domain ") + kNotUtf8);
  if (!domain.empty() && domain.front() == '[')
    return std::string(domain);  // an address literal is ASCII already
  std::string out;
  size_t start = 0;
  for (;;) {
    const size_t end = std::min(domain.find('.', start), domain.size());
    out.append(label_to_ascii(domain.substr(start, end - start)));
    if (end == domain.size()) break;
    out.push_back('.');
    start = end + 1;
  }
  return out;
}

bool is_within_domain(std::string_view name, std::string_view domain) {
  if (domain.empty() || name.size() < domain.size()) return false;
  const std::string_view tail = name.substr(name.size() - domain.size());
  return text::equals_ignoring_case(tail, domain) &&
         (name.size() == domain.size() || name[name.size() - domain.size() - 1] == '.');
}

}  // namespace smtpx
