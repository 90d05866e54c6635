#include "private_files.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <thread>

namespace smtpx {

namespace {

// Ours alone: owned by this user and writable by nobody else.
bool is_private(const struct stat& info) {
  return info.st_uid == geteuid() && (info.st_mode & (S_IWGRP | S_IWOTH)) == 0;
}

}  // namespace

std::string private_directory(const std::string& base) {
  if (base.empty()) return {};
  std::string directory = base;
  if (directory.back() != '/') directory += '/';
  directory += "smtpx-" + std::to_string(geteuid());
  // A shared temporary directory: another user may have made the name first,
  // as a directory, a file or a symbolic link (lstat does not follow it).
  if (::mkdir(directory.c_str(), 0700) != 0 && errno != EEXIST) return {};
  struct stat info {};
  if (::lstat(directory.c_str(), &info) != 0 || !S_ISDIR(info.st_mode) || !is_private(info)) return {};
  return directory;
}

std::optional<std::string> read_private_file(const std::string& path, size_t max_bytes) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) return std::nullopt;
  struct stat info {};
  std::optional<std::string> text;
  if (fstat(fd, &info) == 0 && S_ISREG(info.st_mode) && is_private(info) &&
      info.st_size <= static_cast<off_t>(max_bytes)) {
    text.emplace(static_cast<size_t>(info.st_size), '\0');
    const ssize_t got = ::read(fd, text->data(), text->size());
    text->resize(got > 0 ? static_cast<size_t>(got) : 0);
  }
  ::close(fd);
  return text;
}

bool write_private_file(const std::string& path, const std::string& text) {
  // Written aside under a unique name (mkostemp: mode 0600), then renamed over
  // the old file: rename() is atomic.
  std::string temporary = path + ".XXXXXX";
  const int fd = mkostemp(temporary.data(), O_CLOEXEC);
  if (fd < 0) return false;
  const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ::close(fd);
  if (written && std::rename(temporary.c_str(), path.c_str()) == 0) return true;
  ::unlink(temporary.c_str());
  return false;
}

PrivateLock::PrivateLock(const std::string& path, std::chrono::milliseconds wait) {
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd_ < 0) return;
  struct stat info {};
  if (fstat(fd_, &info) != 0 || !S_ISREG(info.st_mode) || !is_private(info)) return;
  const auto until = std::chrono::steady_clock::now() + wait;
  while (flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    if ((errno != EWOULDBLOCK && errno != EINTR) || std::chrono::steady_clock::now() >= until) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  locked_ = true;
}

PrivateLock::~PrivateLock() {
  if (fd_ >= 0) ::close(fd_);  // closing releases the lock
}

}  // namespace smtpx
