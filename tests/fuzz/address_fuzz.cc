// Mailboxes and IDN domains (src/core/address.*) on any text a caller may give.
// Properties: only InvalidInput is thrown, its message free of control bytes;
// an accepted mailbox has a valid address of at most 254 octets and a display
// name without control bytes, and reads back the same from its own parts
// (address alone, and quoted name <address>); its envelope form can never end
// the path of MAIL FROM:<...> early, and without SMTPUTF8 is ASCII and valid;
// domain_to_ascii() gives ASCII (address literals aside, which it leaves as
// they are) in which every A-label decodes (RFC 3492 6.2) back to its label.
#include <string>
#include <vector>

#include "core/address.h"
#include "core/error.h"
#include "core/mime/encoders.h"
#include "core/text/ascii.h"
#include "core/text/utf8.h"
#include "properties.h"
#include "valid_address.h"

namespace smtpx::fuzz {
namespace {

std::u32string utf8_to_points(std::string_view text) {
  std::u32string points;
  for (size_t i = 0; i < text.size();) {
    const auto lead = static_cast<unsigned char>(text[i]);
    const size_t length = lead < 0x80 ? 1 : lead < 0xe0 ? 2 : lead < 0xf0 ? 3 : 4;
    char32_t point = length == 1 ? lead : lead & (0x7f >> length);
    for (size_t k = 1; k < length && i + k < text.size(); ++k) point = (point << 6) | (text[i + k] & 0x3f);
    points.push_back(point);
    i += length;
  }
  return points;
}

// RFC 3492 6.2, written from the RFC as an independent check of the encoder.
// Returns false on input no encoder produces.
bool punycode_decode(std::string_view input, std::u32string& output) {
  constexpr uint64_t base = 36, tmin = 1, tmax = 26, skew = 38, damp = 700;
  const size_t delimiter = input.rfind('-');
  output.clear();
  if (delimiter != std::string_view::npos) {
    for (char c : input.substr(0, delimiter)) output.push_back(static_cast<unsigned char>(c));
    input.remove_prefix(delimiter + 1);
  }
  uint64_t n = 0x80, i = 0, bias = 72;
  size_t at = 0;
  while (at < input.size()) {
    const uint64_t old_i = i;
    uint64_t w = 1;
    for (uint64_t k = base;; k += base) {
      if (at == input.size()) return false;
      const char c = input[at++];
      const uint64_t digit = c >= 'a' && c <= 'z' ? c - 'a' : c >= '0' && c <= '9' ? c - '0' + 26 : base;
      if (digit >= base || w > (1ull << 40)) return false;
      i += digit * w;
      const uint64_t t = k <= bias ? tmin : k >= bias + tmax ? tmax : k - bias;
      if (digit < t) break;
      w *= base - t;
    }
    const uint64_t points = output.size() + 1;
    uint64_t delta = old_i == 0 ? i / damp : (i - old_i) / 2;
    delta += delta / points;
    uint64_t k = 0;
    while (delta > ((base - tmin) * tmax) / 2) {
      delta /= base - tmin;
      k += base;
    }
    bias = k + (base - tmin + 1) * delta / (delta + skew);
    n += i / points;
    i %= points;
    if (n > 0x10ffff) return false;
    output.insert(output.begin() + static_cast<std::ptrdiff_t>(i), static_cast<char32_t>(n));
    ++i;
  }
  return true;
}

std::string ascii_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

// domain_to_ascii() keeps every label, lower-cased, and makes each non-ASCII one an A-label.
void check_ascii_domain(std::string_view domain, const std::string& ascii) {
  // An address literal is left as it is: ASCII once parse_mailbox() has checked it.
  if (!domain.empty() && domain.front() == '[') {
    require(ascii == domain, "an address literal is left as it is");
    return;
  }
  require(text::is_ascii(ascii), "domain_to_ascii() gives ASCII");
  const auto original = split(domain, "."), converted = split(ascii, ".");
  require(original.size() == converted.size(), "domain_to_ascii() keeps the labels");
  for (size_t i = 0; i < original.size(); ++i) {
    const std::string lowered = ascii_lower(original[i]);
    if (text::is_ascii(lowered)) {
      require(converted[i] == lowered, "an ASCII label is only lower-cased");
      continue;
    }
    require(converted[i].substr(0, 4) == "xn--", "a non-ASCII label gets the xn-- prefix");
    std::u32string decoded;
    require(punycode_decode(converted[i].substr(4), decoded) && decoded == utf8_to_points(lowered),
            "an A-label decodes back to its label (RFC 3492)");
  }
}

void check_error(const InvalidInput& error, const std::string& field) {
  require(error.field() == field, "a refusal names the field");
  require(!has_control_byte(error.what()), "a refusal's message carries no control byte");
}

void check_mailbox(const Mailbox& mailbox) {
  require(testing::is_valid_address(mailbox.address), "an accepted address is valid");
  require(mailbox.address.size() <= 254, "an address is at most 254 octets (RFC 5321 4.5.3.1.3)");
  require(!has_control_byte(mailbox.address) && !has_control_byte(mailbox.display_name),
          "no control byte in an accepted mailbox");
  require(parse_mailbox(mailbox.address, "again").address == mailbox.address, "the address reads back alone");
  if (!mailbox.display_name.empty()) {
    const Mailbox again =
        parse_mailbox(mime::quoted_string(mailbox.display_name) + " <" + mailbox.address + ">", "again");
    require(again.display_name == mailbox.display_name && again.address == mailbox.address,
            "a quoted name and its address read back the same");
  }
  require(address_for_server(mailbox, true, "to[0]") == mailbox.address,
          "with SMTPUTF8 the address goes as it is");
  try {
    const std::string envelope = address_for_server(mailbox, false, "to[0]");
    require(text::is_ascii(envelope), "without SMTPUTF8 the envelope address is ASCII");
    require(testing::is_valid_address(envelope), "the envelope address is valid");
    // MAIL FROM:<path>: a '>' or a line break would end the path and start parameters or commands.
    require(envelope.find_first_of("<>\r\n") == std::string::npos, "nothing in the path ends it early");
    const size_t at = mailbox.address.rfind('@');
    require(envelope.substr(0, at) == mailbox.address.substr(0, at), "the local part is kept");
    if (text::is_ascii(mailbox.address))
      require(envelope == mailbox.address, "an ASCII address goes as it is");
    else
      check_ascii_domain(std::string_view(mailbox.address).substr(at + 1), envelope.substr(at + 1));
  } catch (const InvalidInput& error) {
    check_error(error, "to[0]");
    require(!text::is_ascii(mailbox.address.substr(0, mailbox.address.rfind('@'))) ||
                std::string(error.what()).find("in ASCII form") != std::string::npos,
            "without SMTPUTF8 only a non-ASCII local part or an ASCII form over 254 octets is refused");
  }
}

}  // namespace
}  // namespace smtpx::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace smtpx::fuzz;
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    check_mailbox(smtpx::parse_mailbox(text, "to[0]"));
  } catch (const smtpx::InvalidInput& error) {
    check_error(error, "to[0]");
  }
  try {
    check_ascii_domain(text, smtpx::domain_to_ascii(text, "domain"));
  } catch (const smtpx::InvalidInput& error) {
    check_error(error, "domain");
    require(!smtpx::text::is_valid_utf8(text), "domain_to_ascii() refuses only text that is not UTF-8");
  }
  return 0;
}
