// What was said on the wire, for debugging (the `debug` option): "C: " lines
// the client sent, "S: " lines the server answered. AUTH payloads are replaced
// before they are recorded, so no credential ever reaches the transcript.
#pragma once

#include <string>
#include <string_view>

namespace smtpx::smtp {

class Transcript {
 public:
  explicit Transcript(bool enabled = false) : enabled_(enabled) {}
  bool enabled() const { return enabled_; }
  // Records each CRLF-terminated command in `bytes`; a command that carries a
  // secret is recorded as the caller shows it ("AUTH PLAIN <redacted>").
  void client(std::string_view bytes);
  void client_body(size_t bytes);
  void server(std::string_view reply_text);
  void note(std::string_view text);
  const std::string& text() const { return text_; }
  void clear() { text_.clear(); }

 private:
  bool enabled_;
  std::string text_;
};

}  // namespace smtpx::smtp
