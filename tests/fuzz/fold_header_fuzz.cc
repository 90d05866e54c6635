// Header folding (src/core/mime/encoders.*: fold_header(), RFC 5322 2.2.3)
// on any one-line value. Properties: unfolding gives "Name: value" back; the
// header ends in CRLF and every line break is CRLF followed by white space; no
// line is white space alone (RFC 5322 3.2.2); a line is over 78 characters only
// when it holds a single word that no fold could shorten (or for white space
// ending the value, which no fold can move).
#include <string>

#include "core/mime/encoders.h"
#include "properties.h"

namespace smtpx::fuzz {
namespace {

constexpr std::string_view kNames[] = {"Subject", "To", "X-A-Header-Name-Of-Some-Length-For-Folding", "X"};

bool is_wsp(char c) {
  return c == ' ' || c == '\t';
}

size_t word_count(std::string_view text) {
  size_t words = 0;
  for (size_t i = 0; i < text.size(); ++i)
    if (!is_wsp(text[i]) && (i == 0 || is_wsp(text[i - 1]))) ++words;
  return words;
}

}  // namespace
}  // namespace smtpx::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace smtpx::fuzz;
  if (size == 0) return 0;
  const std::string_view name = kNames[data[0] % std::size(kNames)];
  const std::string_view value(reinterpret_cast<const char*>(data) + 1, size - 1);
  // Callers refuse CR, LF and NUL in a value first (check_single_line()).
  if (value.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos) return 0;
  const std::string header = smtpx::mime::fold_header(name, value);

  require(ends_with_crlf(header), "a header ends in CRLF");
  require(only_crlf_line_breaks(header), "line breaks are CRLF");
  std::string unfolded;
  const std::vector<std::string_view> lines = crlf_lines(header);
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::string_view line = lines[i];
    if (i > 0) require(!line.empty() && is_wsp(line.front()), "a continuation line starts with white space");
    require(word_count(line) > 0 || line.empty(), "no line is white space alone (RFC 5322 3.2.2)");
    const std::string_view words = i == 0 ? line.substr(name.size() + 2) : line;
    // White space that ends the value cannot be folded off: it would make a line of its own.
    const size_t unpadded = line.find_last_not_of(" \t") + 1;
    require(line.size() <= 78 || word_count(words) == 1 || (i + 1 == lines.size() && unpadded <= 78),
            "a line is over 78 only for a single long word, or for the white space that ends the value");
    unfolded.append(line);
  }
  require(unfolded == std::string(name) + ": " + std::string(value), "unfolding gives the header back");
  return 0;
}
