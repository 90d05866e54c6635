// Which port last worked for a host, so the next send (and the other workers of
// the same user) go straight to it instead of waiting a stagger behind a port
// the network drops. Kept in the process and in a small file per user in a
// directory the caller names (PHP's sys_get_temp_dir()).
//
// Promises: the file lives in a directory of this user's own ("smtpx-<uid>",
// mode 0700), so no other local user can create, hold or replace anything in
// it; a directory or file not owned by this user, or writable by others, is
// not used (another user could otherwise steer our mail to a port of their
// choosing, or stall our workers on a lock); the file is replaced atomically
// (written aside, then renamed), so a reader never sees half of it; writers
// take turns (flock on "ports.lock"), and one that cannot have the lock within
// a few milliseconds skips the write; an entry expires after the time to live;
// every failure to read or write the file only costs the shortcut, never a send.
#pragma once

#include <ctime>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "transport.h"

namespace smtpx::delivery {

class PortMemory {
 public:
  using WallClock = std::function<std::time_t()>;

  // `directory` empty: in the process only.
  PortMemory(
      std::string directory, double ttl_seconds, WallClock clock = [] { return std::time(nullptr); });

  std::optional<PortChoice> recall(const std::string& host);
  void remember(const std::string& host, PortChoice choice);
  void forget(const std::string& host);
  void configure(std::string directory, double ttl_seconds);
  // "<directory>/smtpx-<uid>/ports.cache"; empty without a directory.
  std::string file_path() const;

  // The one the mailer uses; the glue configures it from INI at startup.
  static PortMemory& process();

 private:
  struct Entry {
    PortChoice choice;
    std::time_t expires = 0;
  };
  using Entries = std::map<std::string, Entry>;

  // "<directory>/smtpx-<uid>", created if missing; empty when it is not safe to use.
  std::string private_directory() const;
  // The file's entries; the caller has checked private_directory().
  Entries load_file() const;
  void save_file(const Entries& entries) const;
  // Applies `change` to what the file holds now (other workers' hosts included) and writes it back.
  void update_file(const std::function<void(Entries&)>& change);

  std::string directory_;
  double ttl_;
  WallClock clock_;
  Entries entries_;
  std::mutex mutex_;
};

}  // namespace smtpx::delivery
