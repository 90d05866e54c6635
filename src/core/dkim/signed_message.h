// A composed message with its DKIM signatures at the top, streamed like the
// MessageWriter it wraps. The body hash must be known before the first byte
// goes out, so the message is composed twice with the same Date, Message-ID
// and boundaries: once into the hash (nothing kept but the header block),
// once onto the wire. Memory stays flat whatever the attachments weigh; the
// cost is reading and encoding them twice (bench/: "25 MB attachment, DKIM").
// The first pass is the writer the caller made anyway to check the input, so
// each attachment is opened once per pass.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "../body_source.h"
#include "../message.h"
#include "../mime/writer.h"
#include "signer.h"

namespace smtpx::dkim {

// `mime` (headers, empty line, body) with a signature field on top for each
// signer that has not signed it already, every line break written as CRLF (as
// the server will receive it: bare LFs and CRs are signed as CRLF).
std::string with_signatures(std::string_view mime, const std::vector<Signer>& signers);

// A random boundary_seed, so that both passes compose the same boundaries.
std::string random_boundary_seed();

class SignedMessage final : public BodySource {
 public:
  // `first`: a writer made from `message` and `options` and not read yet; it
  // is read to its end here, for the body hash. `options` must fix the
  // boundaries (boundary_seed) and the Message-ID; it may leave the Date open:
  // the second pass takes the first's.
  SignedMessage(mime::MessageWriter& first, const Message& message, mime::ComposeOptions options,
                const std::vector<Signer>& signers);
  bool read(std::string& out, size_t hint) override;
  bool has_8bit() const override { return writer_->has_8bit(); }
  size_t size_hint() const override { return signatures_.size() + writer_->size_hint(); }
  const std::string& message_id() const { return writer_->message_id(); }

 private:
  std::unique_ptr<mime::MessageWriter> writer_;
  std::string signatures_;
  bool signatures_sent_ = false;
};

}  // namespace smtpx::dkim
