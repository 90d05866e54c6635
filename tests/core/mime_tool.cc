// A test hook for tests/core/mime_property_test.py: applies one encoder to each
// record read from stdin so Python's own decoders can check the result.
// Input records:  "<mode> [<argument>] <length>\n" followed by <length> bytes.
// Output records: "<length>\n" followed by the encoded bytes.
// Modes: qp, qp-pieces <n> (fed n bytes at a time), base64, base64-lines,
// base64-pieces <n>, words <indent>, display, fold <name>, param <attribute>,
// message <7bit|8bit>: a whole message composed from NUL-separated fields
// (subject, From display name, text, html, attachment name, attachment bytes),
// with an empty html meaning none and an empty name meaning no attachment.
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "core/mime/encoders.h"
#include "core/mime/writer.h"

namespace {

using namespace smtpx::mime;

template <typename Encoder>
std::string in_pieces(const std::string& bytes, size_t piece) {
  std::string out;
  Encoder encoder;
  for (size_t i = 0; i < bytes.size(); i += piece)
    encoder.feed(std::string_view(bytes).substr(i, piece), out);
  encoder.finish(out);
  return out;
}

std::string compose_message(bool eight_bit, const std::string& fields) {
  std::vector<std::string> field;
  size_t start = 0;
  for (int n = 0; n < 5; ++n) {
    const size_t end = fields.find('\0', start);
    field.push_back(fields.substr(start, end - start));
    start = end + 1;
  }
  field.push_back(fields.substr(start));
  smtpx::Message message;
  message.from = {field[1], "alice@example.com"};
  message.to = {{"", "bob@example.org"}};
  message.subject = field[0];
  message.text = field[2];
  if (!field[3].empty()) message.html = field[3];
  if (!field[4].empty()) message.attachments = {smtpx::Attachment{"", field[5], field[4], "", ""}};
  smtpx::mime::ComposeOptions options;
  options.server_8bitmime = eight_bit;
  return smtpx::mime::compose(message, options);
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
  if (mode == "message") return compose_message(argument == "8bit", bytes);
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
