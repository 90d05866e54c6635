// DKIM's relaxed canonicalization (src/core/dkim/canonical.*) on any body and
// header a message may carry. Properties: the body's canonical form does not
// depend on where the stream breaks it into pieces (the first byte picks a split);
// it has CR only in CRLF, no whitespace at a line's end, no run of whitespace, no
// empty line at its end, and ends in CRLF unless empty; canonicalizing it again
// changes nothing. Each header field header_fields() reads from the same bytes
// with their line breaks made CRLF, as with_signatures() signs them (folds included), becomes one line ending
// in CRLF, its name lower case without whitespace, its value without a run of whitespace or any at its ends,
// and canonical again as it is.
#include <string>

#include "core/dkim/canonical.h"
#include "core/dkim/signer.h"
#include "core/line_breaks.h"
#include "properties.h"

namespace {

using smtpx::fuzz::require;

std::string relaxed_body(std::string_view body, size_t piece) {
  std::string out;
  smtpx::dkim::RelaxedBody canonical;
  const auto append = [&](std::string_view part) { out.append(part); };
  for (size_t at = 0; at < body.size(); at += piece) canonical.feed(body.substr(at, piece), append);
  canonical.finish(append);
  return out;
}

void check_body(std::string_view body, size_t piece) {
  const std::string whole = relaxed_body(body, body.size() + 1);
  require(relaxed_body(body, piece) == whole, "the canonical body does not depend on the pieces");
  require(smtpx::fuzz::only_crlf_line_breaks(whole), "the canonical body has CR only in CRLF");
  require(whole.find(" \r\n") == std::string::npos && whole.find("\t") == std::string::npos &&
              whole.find("  ") == std::string::npos,
          "no whitespace at a line's end, no tab, no run of spaces");
  require(whole.empty() || (whole.size() >= 2 && whole.compare(whole.size() - 2, 2, "\r\n") == 0),
          "the canonical body ends in CRLF unless empty");
  require(whole.size() < 4 || whole.compare(whole.size() - 4, 4, "\r\n\r\n") != 0 || whole == "\r\n",
          "no empty line at the end");
  require(relaxed_body(whole, whole.size() + 1) == whole, "canonical twice is canonical once");
}

void check_header(std::string_view name, std::string_view value) {
  const std::string field = smtpx::dkim::relaxed_header(name, value);
  require(field.size() >= 3 && field.compare(field.size() - 2, 2, "\r\n") == 0, "a header ends in CRLF");
  const std::string_view line(field.data(), field.size() - 2);
  require(line.find_first_of("\r\n") == std::string_view::npos, "a header is one line");
  const size_t colon = line.find(':');
  require(colon != std::string_view::npos, "a header keeps its colon");
  const std::string_view lowered = line.substr(0, colon);
  require(lowered.find_first_of(" \tABCDEFGHIJKLMNOPQRSTUVWXYZ") == std::string_view::npos,
          "a header's name is lower case without whitespace");
  const std::string_view canonical_value = line.substr(colon + 1);
  require(canonical_value.find("  ") == std::string_view::npos &&
              canonical_value.find('\t') == std::string_view::npos &&
              (canonical_value.empty() || (canonical_value.front() != ' ' && canonical_value.back() != ' ')),
          "a header's value has no run of whitespace and none at its ends");
  require(smtpx::dkim::relaxed_header(lowered, canonical_value) == field,
          "a canonical header is canonical again");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  if (input.empty()) return 0;
  check_body(input.substr(1), static_cast<unsigned char>(input[0]) % 16 + 1);
  std::string crlf;
  smtpx::CrlfWriter writer;
  writer.feed(input.substr(1), crlf);
  writer.flush(crlf);
  for (const auto& [name, value] : smtpx::dkim::header_fields(crlf)) check_header(name, value);
  return 0;
}
