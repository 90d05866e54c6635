// SMTP replies (RFC 5321 4.2): a three-digit code, one or more lines joined by
// "NNN-", and the RFC 3463 enhanced status code when the server sends one.
// ReplyReader takes bytes as they arrive and yields each complete reply, so a
// pipelined burst of replies in one read is split exactly.
#pragma once

#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "error.h"

namespace smtpx {

struct Reply {
  int code = 0;
  std::string enhanced_status;     // "2.0.0"; empty when absent
  std::vector<std::string> lines;  // text after "NNN-"/"NNN " (enhanced status kept in the text)

  bool positive() const { return code >= 200 && code < 400; }
  bool transient() const { return code >= 400 && code < 500; }
  bool permanent() const { return code >= 500; }
  // "250 2.0.0 Ok: queued as ABC": lines joined with " / ", as a user reads
  // them, control bytes escaped (printable()).
  std::string text() const;
};

// Bytes that are not an SMTP reply: the peer is not an SMTP server, or it is
// out of step. The message names the phase and quotes the line.
class MalformedReply : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class ReplyReader {
 public:
  // Appends bytes read from the server.
  void feed(std::string_view bytes);
  // The next complete reply, if the buffer holds one. Throws MalformedReply
  // for a line that is not a reply, a code that changes within a reply, or a
  // reply longer than any server sends (64 KiB), naming the phase given.
  std::optional<Reply> next(Phase phase);
  bool has_buffered_bytes() const { return !buffer_.empty(); }

 private:
  // Empties the reader (nothing after a protocol error can be trusted) and throws.
  [[noreturn]] void fail(const std::string& message);

  std::string buffer_;  // bytes not yet part of a finished line
  Reply partial_;       // the lines read so far of a multi-line reply
  bool in_reply_ = false;
  size_t partial_bytes_ = 0;  // bytes consumed by partial_, bounded at 64 KiB
};

// "5.7.8" at the start of `text` (RFC 3463: class.subject.detail), or empty.
std::string parse_enhanced_status(std::string_view text);

}  // namespace smtpx
