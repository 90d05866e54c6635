// Composes a Message into RFC 5322 / MIME bytes, as a stream: headers and the
// smallest MIME tree that fits the parts (text, html -> alternative; inline
// parts -> related; attachments -> mixed). Attachments are read and encoded a
// piece at a time, so memory does not grow with their size.
#pragma once

#include <memory>
#include <string>

#include "../body_source.h"
#include "../message.h"

namespace smtpx::mime {

struct ComposeOptions {
  bool server_8bitmime = false;  // 8bit bodies allowed when lines are short
  bool server_smtputf8 = false;  // UTF-8 addresses may stay raw in headers
  // Fixed Date and Message-ID for reproducible output in tests; generated when empty.
  std::string date;
  std::string message_id;  // without angle brackets
  // Boundaries become "=_smtpx_<seed>_<n>" instead of carrying random hex.
  std::string boundary_seed;
};

class MessageWriter final : public BodySource {
 public:
  // Validates everything that can be checked before sending (readable
  // attachment paths, header names and values) and opens the attachment files;
  // throws InvalidInput naming the field. `message` must outlive the writer:
  // its text and data are read from where they are, not copied.
  MessageWriter(const Message& message, ComposeOptions options);
  ~MessageWriter() override;
  // Appends about `hint` bytes (more by at most one 48 KiB file piece encoded).
  bool read(std::string& out, size_t hint) override;
  bool has_8bit() const override;
  // The exact size of the message (RFC 1870 SIZE), known before it is read.
  size_t size_hint() const override;
  const std::string& message_id() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// The whole message as one string (smtpx_compose(), tests).
std::string compose(const Message& message, const ComposeOptions& options);

}  // namespace smtpx::mime
