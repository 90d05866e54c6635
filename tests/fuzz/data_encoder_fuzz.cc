// The content transparency (src/core/smtp/data_encoder.*) on any message
// bytes, as smtpx_send_raw() passes them. Properties: every line break on the
// wire is CRLF (no bare CR or LF for SMTP smuggling); the content ends with a
// complete line; DATA doubles every leading dot (RFC 5321 4.5.2), so no line
// but the final "." is a lone dot, and undoing the stuffing gives the message
// back; BDAT adds nothing; no line grows but by its stuffed dot; how the bytes
// are split across feed() calls changes nothing.
#include <string>

#include "core/line_breaks.h"
#include "core/smtp/data_encoder.h"
#include "properties.h"

namespace smtpx::fuzz {
namespace {

using smtp::DataEncoder;

std::string encode(std::string_view bytes, DataEncoder::Mode mode, size_t piece_size) {
  DataEncoder encoder(mode);
  std::string out;
  for (std::string_view piece : pieces_of(bytes, piece_size)) encoder.feed(piece, out);
  encoder.finish(out);
  return out;
}

}  // namespace
}  // namespace smtpx::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace smtpx::fuzz;
  if (size == 0) return 0;
  // The first byte picks DATA or BDAT and how many bytes each feed() hands over.
  const DataEncoder::Mode mode = data[0] & 1 ? DataEncoder::Mode::bdat : DataEncoder::Mode::data;
  const std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  const std::string out = encode(bytes, mode, data[0] / 2 + 1);
  require(out == encode(bytes, mode, bytes.size() + 1), "how the bytes are split changes nothing");
  require(only_crlf_line_breaks(out), "no bare CR or LF on the wire");

  // The message as the server stores it: CRLF line breaks, the last line complete.
  std::string message = crlf_normalised(bytes);
  if (!message.empty() && !ends_with_crlf(message)) message.append("\r\n");
  const size_t longest_input = smtpx::longest_line(bytes);
  if (mode == DataEncoder::Mode::bdat) {
    require(out == message, "BDAT content is the message with CRLF line breaks");
    return 0;
  }
  require(out.size() >= 3 && out.compare(out.size() - 3, 3, ".\r\n") == 0, "DATA ends with the lone dot");
  const std::string_view content = std::string_view(out).substr(0, out.size() - 3);
  std::string unstuffed;
  for (std::string_view line : crlf_lines(content)) {
    require(line != ".", "no line of the content is a lone dot");
    require(line.size() <= longest_input + (line.empty() || line.front() != '.' ? 0 : 1),
            "no line grows but by its stuffed dot");
    if (!line.empty() && line.front() == '.') line.remove_prefix(1);
    unstuffed.append(line).append("\r\n");
  }
  require(unstuffed == message, "undoing the dot-stuffing gives the message back");
  return 0;
}
