// MIME parameters (src/core/mime/encoders.*: mime_parameter(), RFC 2045 5.1
// and RFC 2231) on any attachment name. Properties: short printable ASCII is
// a quoted string, anything else the extended form split into numbered
// sections of at most 60 characters that never cut a UTF-8 sequence; either
// reads back (unquoted, or the sections joined and percent-decoded) to the
// name; the output is printable ASCII, one line, and folds within 998.
#include <string>
#include <vector>

#include "core/line_breaks.h"
#include "core/mime/encoders.h"
#include "core/text/ascii.h"
#include "core/text/utf8.h"
#include "mime_decoders.h"
#include "properties.h"

namespace smtpx::fuzz {
namespace {

constexpr std::string_view kAttribute = "filename";

bool unquote(std::string_view quoted, std::string& out) {
  if (quoted.size() < 2 || quoted.front() != '"' || quoted.back() != '"') return false;
  out.clear();
  for (size_t i = 1; i + 1 < quoted.size(); ++i) {
    if (quoted[i] == '"') return false;
    if (quoted[i] == '\\') {
      if (++i + 1 == quoted.size()) return false;
    }
    out.push_back(quoted[i]);
  }
  return true;
}

// RFC 2231 7: attribute-chars stay, anything else is %XX.
bool percent_decode(std::string_view text, std::string& out) {
  constexpr std::string_view kSpecials = "()<>@,;:\\\"/[]?=*'% ";
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '%') {
      if (i + 2 >= text.size() || hex_digit(text[i + 1]) < 0 || hex_digit(text[i + 2]) < 0) return false;
      out.push_back(static_cast<char>(hex_digit(text[i + 1]) * 16 + hex_digit(text[i + 2])));
      i += 2;
    } else if (c <= 32 || c >= 127 || kSpecials.find(static_cast<char>(c)) != std::string_view::npos) {
      return false;
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  return true;
}

// The value of "filename*=cs''..." or of "filename*0*=cs''...; filename*1*=...", checking each section.
bool decode_extended(std::string_view parameter, std::string_view charset, bool utf8_text, std::string& out) {
  const std::string start = std::string(charset) + "''";
  out.clear();
  const std::vector<std::string_view> sections = split(parameter, "; ");
  for (size_t n = 0; n < sections.size(); ++n) {
    const std::string name =
        std::string(kAttribute) + "*" + (sections.size() == 1 ? "" : std::to_string(n) + "*") + "=";
    std::string_view section = sections[n];
    if (section.substr(0, name.size()) != name) return false;
    section.remove_prefix(name.size());
    if (n == 0) {
      if (section.substr(0, start.size()) != start) return false;
      section.remove_prefix(start.size());
    }
    require(section.size() <= 60, "no section over 60 characters");
    std::string bytes;
    if (!percent_decode(section, bytes)) return false;
    if (utf8_text && mime::is_utf8_charset(charset))
      require(smtpx::text::is_valid_utf8(bytes), "no section cuts a UTF-8 sequence (RFC 2231 3)");
    out += bytes;
  }
  return true;
}

}  // namespace
}  // namespace smtpx::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace smtpx::fuzz;
  namespace mime = smtpx::mime;
  if (size == 0) return 0;
  const std::string_view charset = data[0] % 2 ? "UTF-8" : "ISO-8859-1";
  const std::string_view value(reinterpret_cast<const char*>(data) + 1, size - 1);
  const std::string parameter = mime::mime_parameter(kAttribute, value, charset);

  for (unsigned char c : parameter) require(c >= 32 && c < 127, "a parameter is printable ASCII");
  std::string decoded;
  const std::string quoted_start = std::string(kAttribute) + "=";
  if (parameter.compare(0, quoted_start.size(), quoted_start) == 0) {
    require(smtpx::text::is_ascii(value) && value.size() <= 60, "only short ASCII is quoted");
    require(unquote(std::string_view(parameter).substr(quoted_start.size()), decoded), "a quoted string");
  } else {
    require(decode_extended(parameter, charset, smtpx::text::is_valid_utf8(value), decoded),
            "RFC 2231 extended form");
  }
  require(decoded == value, "the parameter reads back to the value");
  require(smtpx::longest_line(mime::fold_header("Content-Disposition", "attachment; " + parameter)) <= 998,
          "the folded header has no line over 998");
  return 0;
}
