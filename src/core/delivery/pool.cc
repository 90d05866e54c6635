#include "pool.h"

#include <openssl/rand.h>

#include <mutex>
#include <stdexcept>
#include <tuple>

#include "../digest.h"
#include "../text/hex.h"

namespace smtpx::delivery {

namespace {

// A key drawn once per process: the digests in pool keys mean nothing outside
// it, so neither a core dump nor a debugger turns them into a password oracle.
// Without randomness there is no key: a fixed one would make every digest a
// password oracle again. call_once leaves the flag unset when the draw throws,
// so the next send tries again.
const unsigned char* process_secret() {
  static unsigned char secret[32];
  static std::once_flag drawn;
  std::call_once(drawn, [] {
    if (RAND_bytes(secret, sizeof secret) != 1)
      throw std::runtime_error("smtpx: the system's random generator failed");
  });
  return secret;
}

std::string digest_of(const smtp::Credentials& credentials) {
  if (credentials.password.empty() && credentials.oauth_token.empty()) return {};
  // The NUL keeps ("ab", "c") and ("a", "bc") apart; neither field may hold one.
  const std::string secrets = credentials.password + '\0' + credentials.oauth_token;
  return text::to_hex(
      hmac_sha256(std::string_view(reinterpret_cast<const char*>(process_secret()), 32), secrets));
}

auto fields(const PoolKey& key) {
  return std::tie(key.host, key.port, key.tls, key.verify, key.cafile, key.server_name, key.helo,
                  key.username, key.credential_digest, key.debug);
}

double seconds_between(net::Clock::time_point from, net::Clock::time_point to) {
  return std::chrono::duration<double>(to - from).count();
}

}  // namespace

PoolKey PoolKey::of(const smtp::SessionSettings& settings) {
  PoolKey key;
  key.host = settings.host;
  key.port = settings.port;
  key.tls = settings.tls;
  key.verify = settings.tls_settings.verify;
  key.cafile = settings.tls_settings.cafile;
  key.server_name =
      settings.tls_settings.server_name.empty() ? settings.host : settings.tls_settings.server_name;
  key.helo = settings.helo;
  key.username = settings.credentials.username;
  key.credential_digest = digest_of(settings.credentials);
  key.debug = settings.debug;
  return key;
}

bool PoolKey::operator<(const PoolKey& other) const {
  return fields(*this) < fields(other);
}
bool PoolKey::operator==(const PoolKey& other) const {
  return fields(*this) == fields(other);
}

const char* drop_reason_name(DropReason reason) {
  switch (reason) {
    case DropReason::idle:
      return "idle";
    case DropReason::age:
      return "age";
    case DropReason::messages:
      return "messages";
    case DropReason::dead:
      return "dead";
    case DropReason::surplus:
      return "surplus";
    case DropReason::failed:
      return "failed";
    case DropReason::fork:
      return "fork";
    case DropReason::closed:
      return "closed";
  }
  return "unknown";
}

Pool& Pool::process() {
  static Pool pool;
  return pool;
}

// Leaving the process: no goodbye on the wire (the module's shutdown says QUIT
// through close() while the network may still be used).
Pool::~Pool() {
  for (auto& [key, kept] : kept_) kept.session->abandon();
}

void Pool::leave_parents_sessions() {
  if (owner_.take()) {
    // The child starts its own counts (the parent's are the parent's), the first
    // of which is what it left behind.
    stats_ = PoolStats{};
    for (auto& [key, kept] : kept_) drop(kept, DropReason::fork);
    kept_.clear();
  }
}

void Pool::drop(Kept& kept, DropReason reason) {
  ++stats_.dropped[reason];
  // A goodbye only where the server can still hear it and the connection is ours.
  if (reason == DropReason::fork || reason == DropReason::dead || !kept.session->reusable())
    kept.session->abandon();
  else
    kept.session->quit();
}

bool Pool::over_limit(const Kept& kept, net::Clock::time_point now, DropReason& reason) {
  if (seconds_between(kept.idle_since, now) >= kept.limits.idle) {
    reason = DropReason::idle;
    return true;
  }
  if (seconds_between(kept.session->opened_at(), now) >= kept.limits.max_age) {
    reason = DropReason::age;
    return true;
  }
  if (kept.session->transactions() >= kept.limits.max_messages) {
    reason = DropReason::messages;
    return true;
  }
  return false;
}

std::unique_ptr<smtp::Session> Pool::take(const PoolKey& key, net::Clock::time_point now) {
  const std::lock_guard<std::mutex> lock(mutex_);
  leave_parents_sessions();
  for (auto it = kept_.begin(); it != kept_.end();) {
    DropReason reason = DropReason::dead;
    if (over_limit(it->second, now, reason) || !it->second.session->reusable()) {
      drop(it->second, reason);
      it = kept_.erase(it);
    } else {
      ++it;
    }
  }
  const auto found = kept_.find(key);
  if (found == kept_.end()) return nullptr;
  std::unique_ptr<smtp::Session> session = std::move(found->second.session);
  kept_.erase(found);
  ++stats_.reused;
  return session;
}

void Pool::put(std::unique_ptr<smtp::Session> session, const PoolLimits& limits, net::Clock::time_point now) {
  if (!session) return;
  const std::lock_guard<std::mutex> lock(mutex_);
  leave_parents_sessions();
  if (!session->is_open()) {
    ++stats_.dropped[DropReason::failed];
    return;
  }
  const PoolKey key = PoolKey::of(session->settings());
  Kept kept{std::move(session), limits, now};
  DropReason reason = DropReason::surplus;
  if (over_limit(kept, now, reason) || kept_.count(key) >= limits.per_key) {
    drop(kept, reason);
    return;
  }
  kept_.emplace(key, std::move(kept));
}

void Pool::close() {
  const std::lock_guard<std::mutex> lock(mutex_);
  leave_parents_sessions();
  for (auto& [key, kept] : kept_) drop(kept, DropReason::closed);
  kept_.clear();
}

void Pool::count_opened() {
  const std::lock_guard<std::mutex> lock(mutex_);
  ++stats_.opened;
}

void Pool::count_dropped(DropReason reason) {
  const std::lock_guard<std::mutex> lock(mutex_);
  ++stats_.dropped[reason];
}

PoolStats Pool::stats() {
  const std::lock_guard<std::mutex> lock(mutex_);
  leave_parents_sessions();
  PoolStats copy = stats_;
  copy.idle = kept_.size();
  return copy;
}

}  // namespace smtpx::delivery
