#include "port_memory.h"

#include <unistd.h>

#include <chrono>
#include <sstream>

#include "../private_files.h"

namespace smtpx::delivery {

namespace {

// One line per host: "<host> <port> <tls> <expires, Unix time>". Host names
// hold no spaces (Transport::validate), so the format needs no quoting.
const char* tls_word(smtp::TlsMode mode) {
  switch (mode) {
    case smtp::TlsMode::implicit:
      return "tls";
    case smtp::TlsMode::none:
      return "none";
    case smtp::TlsMode::starttls:
      break;
  }
  return "starttls";
}

std::optional<smtp::TlsMode> tls_from_word(const std::string& word) {
  if (word == "tls") return smtp::TlsMode::implicit;
  if (word == "none") return smtp::TlsMode::none;
  if (word == "starttls") return smtp::TlsMode::starttls;
  return std::nullopt;
}

constexpr size_t max_file_size = 64 * 1024;  // a few hundred hosts; anything bigger is not ours

// A writer holds the lock for one small read and write; waiting longer than
// this means something else holds it, and the shortcut is not worth a stall.
constexpr auto lock_wait = std::chrono::milliseconds(50);

}  // namespace

PortMemory::PortMemory(std::string directory, double ttl_seconds, WallClock clock)
    : directory_(std::move(directory)), ttl_(ttl_seconds), clock_(std::move(clock)) {}

PortMemory& PortMemory::process() {
  static PortMemory memory("", 3600);
  return memory;
}

void PortMemory::configure(std::string directory, double ttl_seconds) {
  const std::lock_guard<std::mutex> lock(mutex_);
  directory_ = std::move(directory);
  ttl_ = ttl_seconds;
  entries_.clear();
}

std::string PortMemory::file_path() const {
  if (directory_.empty()) return {};
  std::string path = directory_;
  if (path.back() != '/') path += '/';
  return path + "smtpx-" + std::to_string(geteuid()) + "/ports.cache";
}

std::string PortMemory::private_directory() const {
  return smtpx::private_directory(directory_);
}

std::optional<PortChoice> PortMemory::recall(const std::string& host) {
  const std::lock_guard<std::mutex> lock(mutex_);
  const std::time_t now = clock_();
  auto found = entries_.find(host);
  if (found == entries_.end() || found->second.expires <= now) {
    // Another worker may have learnt it since, in a directory that is still ours alone.
    if (private_directory().empty()) return std::nullopt;
    const Entries shared = load_file();
    const auto in_file = shared.find(host);
    if (in_file == shared.end()) return std::nullopt;
    found = entries_.insert_or_assign(host, in_file->second).first;
  }
  if (found->second.expires <= now) return std::nullopt;
  return found->second.choice;
}

void PortMemory::remember(const std::string& host, PortChoice choice) {
  const std::lock_guard<std::mutex> lock(mutex_);
  const Entry entry{choice, clock_() + static_cast<std::time_t>(ttl_)};
  const auto known = entries_.find(host);
  const bool unchanged = known != entries_.end() && known->second.choice.port == choice.port &&
                         known->second.choice.tls == choice.tls &&
                         known->second.expires - clock_() > ttl_ / 2;
  entries_.insert_or_assign(host, entry);
  // Rewriting the file on every send would cost a write per mail; refreshing it
  // once half the time to live has passed keeps it alive for the other workers.
  if (!unchanged) update_file([&](Entries& shared) { shared.insert_or_assign(host, entry); });
}

void PortMemory::forget(const std::string& host) {
  const std::lock_guard<std::mutex> lock(mutex_);
  entries_.erase(host);
  update_file([&](Entries& shared) { shared.erase(host); });
}

PortMemory::Entries PortMemory::load_file() const {
  Entries entries;
  const std::string path = file_path();
  if (path.empty()) return entries;
  const std::string text = read_private_file(path, max_file_size).value_or("");

  const std::time_t now = clock_();
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream fields(line);
    std::string host, tls;
    long port = 0;
    long long expires = 0;
    if (!(fields >> host >> port >> tls >> expires)) continue;
    const std::optional<smtp::TlsMode> mode = tls_from_word(tls);
    if (!mode || port < 1 || port > 65535 || expires <= now) continue;
    entries[host] = Entry{{static_cast<uint16_t>(port), *mode}, static_cast<std::time_t>(expires)};
  }
  return entries;
}

void PortMemory::save_file(const Entries& entries) const {
  const std::string path = file_path();
  std::string text;
  for (const auto& [host, entry] : entries) {
    text += host + " " + std::to_string(entry.choice.port) + " " + tls_word(entry.choice.tls) + " " +
            std::to_string(static_cast<long long>(entry.expires)) + "\n";
  }
  // A worker reading at the same time sees the old or the new file.
  write_private_file(path, text);
}

void PortMemory::update_file(const std::function<void(Entries&)>& change) {
  const std::string directory = private_directory();
  if (directory.empty()) return;
  // Workers updating at the same time would each write back what they read and
  // lose the other's entry; a lock on a file beside it (the cache itself is
  // replaced by every write) puts them in line.
  const PrivateLock lock(directory + "/ports.lock", lock_wait);
  if (!lock.locked()) return;
  Entries shared = load_file();
  change(shared);
  save_file(shared);
}

}  // namespace smtpx::delivery
