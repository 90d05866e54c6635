// Which process a connection belongs to. After fork() parent and child share
// every descriptor and the TLS state behind it, so only the process that opened
// a connection may speak on it or say goodbye; any other must drop it without a
// word (a QUIT or close_notify from the child would end the parent's session).
#pragma once

namespace smtpx::net {

class ProcessOwner {
 public:
  // Makes the calling process the owner. True when another process owned it
  // before: what it guards came through fork() and is the parent's.
  bool take();
  // Whether the calling process is the owner.
  bool is_current() const;

 private:
  long pid_ = 0;  // 0 until taken
};

}  // namespace smtpx::net
