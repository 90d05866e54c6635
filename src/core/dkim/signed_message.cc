#include "signed_message.h"

#include <openssl/rand.h>

#include <ctime>
#include <stdexcept>

#include "../line_breaks.h"
#include "../text/hex.h"

namespace smtpx::dkim {

namespace {

// The value of the header block's Date field, for the second pass.
std::string date_of(std::string_view headers) {
  for (const auto& [name, value] : header_fields(headers)) {
    if (name.size() == 4 && (name == "Date" || name == "date")) {
      size_t start = 0;
      while (start < value.size() && value[start] == ' ') ++start;
      return value.substr(start);
    }
  }
  return {};
}

std::string sign(std::string_view headers, const std::string& body_hash, const std::vector<Signer>& signers,
                 std::time_t now) {
  std::string fields;
  // Each signature covers the message's own fields, not the other signatures.
  for (const Signer& signer : signers)
    if (!signer.already_signed(headers)) fields = signer.signature_field(headers, body_hash, now) + fields;
  return fields;
}

}  // namespace

std::string random_boundary_seed() {
  unsigned char bytes[12];
  if (RAND_bytes(bytes, sizeof bytes) != 1) throw std::runtime_error("no random bytes for MIME boundaries");
  return text::to_hex(bytes, sizeof bytes);
}

std::string with_signatures(std::string_view given, const std::vector<Signer>& signers) {
  // The server gets every line break as CRLF (CrlfWriter), and verifiers hash what
  // it got: a message written with bare LFs is signed as it will arrive.
  std::string normalized;
  if (line_stats(given).bare_breaks > 0) {
    CrlfWriter crlf;
    crlf.feed(given, normalized);
    crlf.flush(normalized);
  }
  const std::string_view mime = normalized.empty() ? given : std::string_view(normalized);
  size_t end = mime.find("\r\n\r\n");
  const std::string_view headers = end == std::string_view::npos ? mime : mime.substr(0, end + 2);
  BodyHash hash;
  if (end != std::string_view::npos) hash.feed(mime.substr(end + 4));
  return sign(headers, hash.finish(), signers, std::time(nullptr)) + std::string(mime);
}

SignedMessage::SignedMessage(mime::MessageWriter& first, const Message& message, mime::ComposeOptions options,
                             const std::vector<Signer>& signers) {
  std::string headers;
  std::string piece;
  bool in_body = false;
  BodyHash hash;
  while (true) {
    piece.clear();
    const bool more = first.read(piece, 64 * 1024);
    if (!in_body) {
      headers += piece;
      const size_t end = headers.find("\r\n\r\n");
      if (end != std::string::npos) {
        hash.feed(std::string_view(headers).substr(end + 4));
        headers.resize(end + 2);
        in_body = true;
      }
    } else {
      hash.feed(piece);
    }
    if (!more) break;
  }
  if (options.date.empty()) options.date = date_of(headers);
  signatures_ = sign(headers, hash.finish(), signers, std::time(nullptr));
  writer_ = std::make_unique<mime::MessageWriter>(message, options);
}

bool SignedMessage::read(std::string& out, size_t hint) {
  if (!signatures_sent_) {
    signatures_sent_ = true;
    out += signatures_;
  }
  return writer_->read(out, hint);
}

}  // namespace smtpx::dkim
