#include "message_headers.h"

#include <openssl/rand.h>

#include <cstdio>
#include <stdexcept>
#include <vector>

#include "../error.h"
#include "../line_breaks.h"
#include "../text/ascii.h"
#include "../text/hex.h"
#include "../text/utf8.h"
#include "encoders.h"

namespace smtpx::mime {

using text::equals_ignoring_case;
using text::is_ascii;
using text::is_valid_utf8;
using text::to_hex;

namespace {

// Why a header cannot come from the extra list, or nullptr when it can.
const char* reserved_reason(std::string_view name) {
  static const std::pair<std::string_view, const char*> kReserved[] = {
      {"content-type", "is set by smtpx from the message's parts"},
      {"content-transfer-encoding", "is set by smtpx from the message's parts"},
      {"mime-version", "is set by smtpx"},
      {"bcc", "would show the blind copies to every recipient; use the 'bcc' key"},
      {"from", "has its own key: use 'from'"},
      {"to", "has its own key: use 'to'"},
      {"cc", "has its own key: use 'cc'"},
      {"reply-to", "has its own key: use 'reply_to'"},
      {"subject", "has its own key: use 'subject'"},
      {"date", "is set by smtpx when the message is composed"},
      {"message-id", "is set by smtpx on the From domain"},
      {"return-path", "is set by the receiving server; use the 'sender' key for the envelope sender"},
  };
  for (const auto& [reserved, reason] : kReserved) {
    if (equals_ignoring_case(name, reserved)) return reason;
  }
  return nullptr;
}

// RFC 5322 2.2: a field name is printable US-ASCII except ":".
bool is_field_name(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    if (c < 33 || c > 126 || c == ':') return false;
  }
  return true;
}

class HeaderBuilder {
 public:
  HeaderBuilder(const Message& message, const ComposeOptions& options)
      : message_(message), options_(options) {}

  std::string mailbox(const Mailbox& mailbox, const std::string& field) {
    check_single_line(field, mailbox.display_name);
    check_single_line(field, mailbox.address);
    check_charset(field, mailbox.display_name, message_.charset);
    if (mailbox.address.empty()) throw InvalidInput(field, "has no address");
    std::string address = mailbox.address;
    if (!is_ascii(address)) {
      // RFC 6532 3.2: a UTF-8 address is written raw when the server takes
      // SMTPUTF8; otherwise the domain goes to punycode or the address is refused.
      address = address_for_server(mailbox, options_.server_smtputf8, field);
      headers_.raw_utf8 = headers_.raw_utf8 || !is_ascii(address);
    }
    if (mailbox.display_name.empty()) return address;
    return encode_display_name(mailbox.display_name, message_.charset) + " <" + address + ">";
  }

  void address_list(std::string_view name, std::string_view key, const std::vector<Mailbox>& list) {
    if (list.empty()) return;
    std::string value;
    for (size_t i = 0; i < list.size(); ++i) {
      if (i > 0) value.append(", ");
      value.append(mailbox(list[i], std::string(key) + "[" + std::to_string(i) + "]"));
    }
    headers_.lines.append(header_line(std::string(key), name, value));
  }

  MessageHeaders build() {
    const std::string date = options_.date.empty() ? rfc5322_date(std::time(nullptr)) : options_.date;
    check_single_line("date", date);
    headers_.lines.append(header_line("date", "Date", date));
    headers_.lines.append(header_line("from", "From", mailbox(message_.from, "from")));
    address_list("To", "to", message_.to);
    address_list("Cc", "cc", message_.cc);
    address_list("Reply-To", "reply_to", message_.reply_to);
    if (!message_.subject.empty()) {
      check_single_line("subject", message_.subject);
      check_charset("subject", message_.subject, message_.charset);
      headers_.lines.append(header_line(
          "subject", "Subject", encode_words(message_.subject, message_.charset, sizeof("Subject: ") - 1)));
    }
    headers_.message_id = options_.message_id.empty() ? new_message_id() : options_.message_id;
    check_single_line("message_id", headers_.message_id);
    headers_.lines.append(header_line("message_id", "Message-ID", "<" + headers_.message_id + ">"));
    headers_.lines.append("MIME-Version: 1.0\r\n");
    for (const auto& [name, value] : message_.headers) {
      const std::string field = "headers." + name;
      if (!is_field_name(name)) {
        throw InvalidInput(field, "is not a header name (RFC 5322 2.2: printable ASCII without ':')");
      }
      if (const char* reason = reserved_reason(name)) throw InvalidInput(field, reason);
      check_single_line(field, value);
      check_charset(field, value, message_.charset);
      headers_.lines.append(header_line(field, name, encode_words(value, message_.charset, name.size() + 2)));
    }
    return std::move(headers_);
  }

 private:
  // RFC 5322 3.6.4: unique worldwide; 128 random bits on the sender's own domain.
  std::string new_message_id() {
    const std::string& from = message_.from.address;
    const size_t at = from.rfind('@');
    std::string domain = at == std::string::npos ? "" : from.substr(at + 1);
    if (domain.empty()) throw InvalidInput("from", "has no domain for the Message-ID");
    if (!is_ascii(domain)) domain = domain_to_ascii(domain, "from");
    return random_hex(16) + "@" + domain;
  }

  const Message& message_;
  const ComposeOptions& options_;
  MessageHeaders headers_;
};

}  // namespace

void check_single_line(const std::string& field, std::string_view value) {
  if (value.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos) {
    throw InvalidInput(field, "must not contain CR, LF or NUL characters");
  }
}

void check_charset(const std::string& field, std::string_view text, std::string_view charset) {
  if (is_utf8_charset(charset) && !is_valid_utf8(text)) {
    throw InvalidInput(field, "is not valid UTF-8, but the message charset is " + std::string(charset));
  }
}

std::string header_line(const std::string& field, std::string_view name, std::string_view value) {
  std::string line = fold_header(name, value);
  if (longest_line(line) > kMaxLineLength) {
    throw InvalidInput(field, "has a word too long for a header line (998 characters, RFC 5322 2.1.1)");
  }
  return line;
}

MessageHeaders message_headers(const Message& message, const ComposeOptions& options) {
  return HeaderBuilder(message, options).build();
}

std::string rfc5322_date(std::time_t when) {
  static const char* const kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char* const kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::tm utc{};
  gmtime_r(&when, &utc);
  char text[40];
  std::snprintf(text, sizeof text, "%s, %d %s %04d %02d:%02d:%02d +0000", kDays[utc.tm_wday], utc.tm_mday,
                kMonths[utc.tm_mon], utc.tm_year + 1900, utc.tm_hour, utc.tm_min, utc.tm_sec);
  return text;
}

std::string random_hex(size_t bytes) {
  std::vector<unsigned char> random(bytes);
  if (RAND_bytes(random.data(), static_cast<int>(bytes)) != 1) {
    throw std::runtime_error("smtpx: the system's random generator failed");
  }
  return to_hex(random.data(), random.size());
}

}  // namespace smtpx::mime
