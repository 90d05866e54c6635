// Quoted-printable (src/core/mime/encoders.*, RFC 2045 6.7) on any text body.
// Properties: decoding gives the text back with every line break as CRLF;
// the output is printable ASCII in lines of at most 76 characters, none ending
// in white space (rule 3) and none starting with "." (so DATA never sees a
// lone dot); quoted_printable_size() is exact; how the text is split across
// feed() calls changes nothing.
#include <string>

#include "core/mime/encoders.h"
#include "mime_decoders.h"
#include "properties.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace smtpx::fuzz;
  namespace mime = smtpx::mime;
  if (size == 0) return 0;
  // The first byte says how many bytes each feed() hands over.
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  const std::string encoded = mime::quoted_printable(text);

  require(only_crlf_line_breaks(encoded), "line breaks are CRLF");
  for (unsigned char c : encoded)
    require(c == '\r' || c == '\n' || (c >= 33 && c <= 126) || c == ' ' || c == '\t', "printable ASCII only");
  for (std::string_view line : crlf_lines(encoded)) {
    require(line.size() <= 76, "no line over 76 characters (RFC 2045 6.7 rule 5)");
    require(line.empty() || (line.back() != ' ' && line.back() != '\t'),
            "no white space ends a line (rule 3)");
    require(line.empty() || line.front() != '.', "no line starts with a dot");
  }
  std::string decoded;
  require(quoted_printable_decode(encoded, decoded), "the output is quoted-printable");
  require(decoded == crlf_normalised(text), "it decodes to the text, line breaks as CRLF");
  require(mime::quoted_printable_size(text) == encoded.size(), "quoted_printable_size() is exact");

  mime::QuotedPrintableEncoder encoder;
  std::string streamed;
  for (std::string_view piece : pieces_of(text, data[0] % 128 + 1)) encoder.feed(piece, streamed);
  encoder.finish(streamed);
  require(streamed == encoded, "how the text is split changes nothing");
  return 0;
}
