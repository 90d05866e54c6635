// Small files shared by the PHP workers of one user (the port memory, OAuth
// access tokens), kept where no other local user can read, replace or hold
// them: "<base>/smtpx-<uid>/", mode 0700, its files 0600, each checked to be
// ours before use; written aside and renamed, so a reader sees the old file
// or the new one; locks waited on for a bounded time only.
#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace smtpx {

// "<base>/smtpx-<uid>", created when missing; empty when it is not ours alone
// (another user made the name first, as a directory, a file or a link).
std::string private_directory(const std::string& base);

// The file's contents when it is a regular file of ours, writable by nobody
// else, of at most `max_bytes`; nothing otherwise.
std::optional<std::string> read_private_file(const std::string& path, size_t max_bytes);

// Replaces `path` with `text` atomically; false when it could not.
bool write_private_file(const std::string& path, const std::string& text);

// An exclusive flock() on `path` (created 0600), held while the object lives.
class PrivateLock {
 public:
  // Waits at most `wait` (zero: only a try); locked() tells whether it got it.
  PrivateLock(const std::string& path, std::chrono::milliseconds wait);
  ~PrivateLock();
  PrivateLock(const PrivateLock&) = delete;
  PrivateLock& operator=(const PrivateLock&) = delete;
  bool locked() const { return locked_; }

 private:
  int fd_ = -1;
  bool locked_ = false;
};

}  // namespace smtpx
