// The message content as a stream of chunks, so a body (and its attachments)
// never has to be held whole in memory on its way to the socket.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace smtpx {

class BodySource {
 public:
  virtual ~BodySource() = default;
  // Appends the next piece of the message (about `hint` bytes, more or less) to
  // `out`. Returns false when the message is complete and nothing was appended.
  virtual bool read(std::string& out, size_t hint) = 0;
  // Whether any byte of the message is outside 7-bit ASCII (BODY=8BITMIME).
  virtual bool has_8bit() const = 0;
  // The size when known in advance (for the SIZE parameter), else 0.
  virtual size_t size_hint() const { return 0; }
};

// A message already composed in memory (smtpx_send_raw()). It refers to the
// bytes, which must outlive it; they are scanned once, here, for 8-bit content.
// read() hands out exactly `hint` bytes (the rest when fewer remain, or when
// `hint` is 0).
class StringBodySource final : public BodySource {
 public:
  explicit StringBodySource(std::string_view bytes);
  bool read(std::string& out, size_t hint) override;
  bool has_8bit() const override { return has_8bit_; }
  size_t size_hint() const override { return bytes_.size(); }

 private:
  std::string_view bytes_;
  size_t offset_ = 0;
  bool has_8bit_;
};

}  // namespace smtpx
