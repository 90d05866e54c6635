// A test hook for tests/core/mime_property_test.py: applies one encoder to each
// record read from stdin so Python's own decoders can check the result.
// Input records:  "<mode> [<argument>] <length>\n" followed by <length> bytes.
// Output records: "<length>\n" followed by the encoded bytes.
// Modes: qp, qp-pieces <n> (fed n bytes at a time), base64, base64-lines,
// base64-pieces <n>, words <indent>, display, fold <name>, param <attribute>.
#include <iostream>
#include <sstream>
#include <string>

#include "core/mime/encoders.h"

namespace {

using namespace smtpx::mime;

template <typename Encoder>
std::string in_pieces(const std::string& bytes, size_t piece) {
  std::string out;
  Encoder encoder;
  for (size_t i = 0; i < bytes.size(); i += piece) encoder.feed(std::string_view(bytes).substr(i, piece), out);
  encoder.finish(out);
  return out;
}

std::string encode(const std::string& mode, const std::string& argument, const std::string& bytes) {
  if (mode == "qp") return quoted_printable(bytes);
  if (mode == "qp-pieces") return in_pieces<QuotedPrintableEncoder>(bytes, std::stoul(argument));
  if (mode == "base64") return base64(bytes);
  if (mode == "base64-lines") return base64_lines(bytes);
  if (mode == "base64-pieces") return in_pieces<Base64LineEncoder>(bytes, std::stoul(argument));
  if (mode == "words") return encode_words(bytes, "UTF-8", std::stoul(argument));
  if (mode == "display") return encode_display_name(bytes);
  if (mode == "fold") return fold_header(argument, bytes);
  if (mode == "param") return mime_parameter(argument, bytes);
  throw std::invalid_argument("unknown mode " + mode);
}

}  // namespace

int main() {
  std::ios::sync_with_stdio(false);
  std::string line;
  while (std::getline(std::cin, line)) {
    std::istringstream fields(line);
    std::string mode, argument, length;
    fields >> mode >> argument >> length;
    if (length.empty()) std::swap(argument, length);
    std::string bytes(std::stoul(length), '\0');
    std::cin.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    const std::string encoded = encode(mode, argument, bytes);
    std::cout << encoded.size() << '\n' << encoded;
  }
  return 0;
}
