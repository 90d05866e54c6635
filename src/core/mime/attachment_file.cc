#include "attachment_file.h"

#include <sys/stat.h>
#ifdef __linux__
#include <linux/magic.h>
#include <sys/vfs.h>
#endif

#include <cerrno>
#include <cstring>
#include <iterator>

#include "../error.h"

namespace smtpx::mime {

std::ifstream open_attachment(const std::string& path, const std::string& field, size_t& size) {
  struct stat status {};
  if (::stat(path.c_str(), &status) != 0) {
    throw InvalidInput(field, "cannot be read: " + path + ": " + std::strerror(errno));
  }
  if (!S_ISREG(status.st_mode)) throw InvalidInput(field, "is not a regular file: " + path);
#ifdef __linux__
  // /proc and /sys hold "regular" files that are views of the process and
  // the kernel (/proc/self/environ holds the environment's secrets): never mail.
  struct statfs filesystem {};
  if (::statfs(path.c_str(), &filesystem) == 0 &&
      (filesystem.f_type == PROC_SUPER_MAGIC || filesystem.f_type == SYSFS_MAGIC))
    throw InvalidInput(field, "is a file of the kernel's (/proc, /sys), not one to attach: " + path);
#endif
  std::ifstream file(path, std::ios::binary);
  if (!file.is_open()) throw InvalidInput(field, "cannot be read: " + path + ": " + std::strerror(errno));
  size = static_cast<size_t>(status.st_size);
  return file;
}

std::string attachment_bytes(const std::string& path, const std::string& data, const std::string& field) {
  if (path.empty()) return data;
  size_t size = 0;
  std::ifstream file = open_attachment(path, field, size);
  std::string bytes;
  bytes.reserve(size);
  bytes.assign(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
  if (file.bad()) throw InvalidInput(field, "could not be read to the end: " + path);
  return bytes;
}

}  // namespace smtpx::mime
