// Base64 (src/core/mime/encoders.*, RFC 2045 6.8) on any bytes: attachments
// and AUTH payloads. Properties: decoding what was encoded gives the bytes
// back; base64_lines() writes lines of at most 76 characters, each ended by
// CRLF, exactly base64_lines_size() bytes, and the same bytes however the
// input is split across feed() calls; the decoder refuses with
// std::invalid_argument only, and what it accepts is canonical base64 up to
// the unused bits of the last group.
#include <stdexcept>
#include <string>

#include "base64_decode.h"
#include "core/mime/encoders.h"
#include "properties.h"

namespace smtpx::fuzz {
namespace {

bool in_alphabet(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
}

void check_encoders(std::string_view bytes, size_t piece_size) {
  const std::string plain = mime::base64(bytes);
  require(plain.size() == (bytes.size() + 2) / 3 * 4, "base64 is 4 characters per 3 bytes");
  for (size_t i = 0; i < plain.size(); ++i)
    require(in_alphabet(plain[i]) || (plain[i] == '=' && i + 2 >= plain.size()),
            "only the alphabet and padding");
  require(testing::base64_decode(plain) == bytes, "base64 decodes back");

  const std::string lines = mime::base64_lines(bytes);
  require(lines.size() == mime::base64_lines_size(bytes.size()), "base64_lines_size() is exact");
  require(only_crlf_line_breaks(lines), "base64 lines end in CRLF");
  require(lines.empty() || ends_with_crlf(lines), "the last line is ended too");
  for (std::string_view line : crlf_lines(lines))
    require(line.size() <= 76, "no base64 line over 76 (RFC 2045 6.8)");
  require(testing::base64_decode(lines) == bytes, "base64 lines decode back");

  mime::Base64LineEncoder encoder;
  std::string streamed;
  for (std::string_view piece : pieces_of(bytes, piece_size)) encoder.feed(piece, streamed);
  encoder.finish(streamed);
  require(streamed == lines, "how the input is split changes nothing");
}

void check_decoder(std::string_view text) {
  std::string decoded;
  try {
    decoded = testing::base64_decode(text);
  } catch (const std::invalid_argument&) {
    return;
  }
  std::string significant;
  for (char c : text)
    if (c != '\r' && c != '\n' && c != ' ' && c != '\t') significant.push_back(c);
  const std::string again = mime::base64(decoded);
  const size_t stable = again.size() < 4 ? 0 : again.size() - 4;  // all groups but the last
  require(again.size() == significant.size() && again.compare(0, stable, significant, 0, stable) == 0,
          "accepted base64 is canonical but for the last group's unused bits");
}

}  // namespace
}  // namespace smtpx::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace smtpx::fuzz;
  if (size == 0) return 0;
  // The first byte says how many bytes each feed() hands over.
  const std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  check_encoders(bytes, data[0] % 128 + 1);
  check_decoder(bytes);
  return 0;
}
