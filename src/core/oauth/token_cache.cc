#include "token_cache.h"

#include <openssl/rand.h>
#include <unistd.h>

#include <chrono>
#include <optional>
#include <sstream>
#include <stdexcept>

#include "../digest.h"
#include "../error.h"
#include "../private_files.h"
#include "../text/hex.h"

namespace smtpx::oauth {

namespace {

// How long a worker with no valid token waits for another that is fetching one.
constexpr auto kFetchWait = std::chrono::milliseconds(5000);

std::string random_hex(size_t bytes) {
  unsigned char random[32];
  if (bytes > sizeof random || RAND_bytes(random, static_cast<int>(bytes)) != 1)
    throw std::runtime_error("no random bytes for the token cache key");
  return text::to_hex(random, bytes);
}

}  // namespace

TokenCache::TokenCache(std::string directory, WallClock clock) : clock_(std::move(clock)) {
  configure(std::move(directory));
}

TokenCache& TokenCache::process() {
  static auto& cache = *new TokenCache("");  // never destroyed: sends may run from other destructors
  return cache;
}

void TokenCache::configure(std::string directory) {
  const std::lock_guard<std::mutex> lock(mutex_);
  base_ = std::move(directory);
  settled_for_.reset();
}

// The directory and the key of the user who sends, settled at the first send
// rather than at configure(): PHP-FPM's master starts the module as root and
// its workers send as the pool's user, who could not open root's files.
void TokenCache::settle() {
  const uid_t user = geteuid();
  if (settled_for_ == user) return;
  settled_for_ = user;
  directory_ = private_directory(base_);
  tokens_.clear();
  rotated_.clear();
  hash_key_.clear();
  if (directory_.empty()) return;
  // The key of the file names is shared by the user's workers, so they find
  // each other's tokens; it is made once, by whichever worker comes first.
  const std::string path = directory_ + "/oauth.key";
  if (std::optional<std::string> known = read_private_file(path, 128); known && known->size() == 64) {
    hash_key_ = *known;
    return;
  }
  const std::string made = random_hex(32);
  const PrivateLock creating(directory_ + "/oauth.key.lock", std::chrono::milliseconds(200));
  if (std::optional<std::string> known = read_private_file(path, 128); known && known->size() == 64) {
    hash_key_ = *known;
  } else if (creating.locked() && write_private_file(path, made)) {
    hash_key_ = made;
  }
}

std::string TokenCache::key_of(const OAuthSettings& settings) {
  if (hash_key_.empty()) hash_key_ = random_hex(32);  // in the process only
  const std::string data =
      token_url_for(settings) + "\n" + settings.client_id + "\n" + settings.refresh_token;
  return text::to_hex(hmac_sha256(hash_key_, data));
}

std::string TokenCache::file_of(const std::string& key) const {
  return directory_.empty() ? std::string() : directory_ + "/oauth-" + key.substr(0, 32);
}

// "<access token> <expires at> <obtained at>\n"; access tokens hold no spaces (RFC 6750 2.1).
bool TokenCache::load(const std::string& key, AccessToken& token) const {
  if (directory_.empty()) return false;
  const std::optional<std::string> text = read_private_file(file_of(key) + ".token", 16 * 1024);
  if (!text) return false;
  std::istringstream fields(*text);
  long long expires = 0, obtained = 0;
  AccessToken read;
  if (!(fields >> read.value >> expires >> obtained)) return false;
  read.expires_at = static_cast<std::time_t>(expires);
  read.obtained_at = static_cast<std::time_t>(obtained);
  token = std::move(read);
  return true;
}

void TokenCache::store(const std::string& key, const AccessToken& token) {
  tokens_[key] = token;
  if (directory_.empty()) return;
  write_private_file(file_of(key) + ".token",
                     token.value + " " + std::to_string(static_cast<long long>(token.expires_at)) + " " +
                         std::to_string(static_cast<long long>(token.obtained_at)) + "\n");
}

TokenCache::Use TokenCache::refresh(const std::string& key, const OAuthSettings& settings,
                                    const Fetch& fetch) {
  const auto rotated = rotated_.find(key);
  const TokenAnswer answer = fetch(rotated != rotated_.end() ? rotated->second : settings.refresh_token);
  store(key, answer.token);
  Use use{answer.token.value, answer.refresh_token, true};
  if (!answer.refresh_token.empty()) rotated_[key] = answer.refresh_token;
  return use;
}

TokenCache::Use TokenCache::token(const OAuthSettings& settings, const Fetch& fetch) {
  const std::lock_guard<std::mutex> guard(mutex_);
  settle();
  const std::string key = key_of(settings);
  const std::time_t now = clock_();
  const auto fresh = [now](const AccessToken& token) {
    return !token.value.empty() && now < token.usable_until() && now < token.refresh_at();
  };
  AccessToken cached;
  const auto known = tokens_.find(key);
  if (known != tokens_.end()) cached = known->second;
  // Only a token this process lacks or must refresh is looked for in the file,
  // where another worker may have put a newer one: no file read per send.
  if (fresh(cached)) return {cached.value, {}, false};
  AccessToken shared;
  if (load(key, shared) && shared.expires_at > cached.expires_at) cached = shared;
  if (fresh(cached)) {
    tokens_[key] = cached;
    return {cached.value, {}, false};
  }
  const bool valid = !cached.value.empty() && now < cached.usable_until();
  const std::string lock_path = directory_.empty() ? std::string() : file_of(key) + ".lock";
  if (valid) {
    // Due: one worker refreshes; the others, and this one if the endpoint
    // fails, go on with the token that is still valid.
    std::optional<PrivateLock> refreshing;
    if (!lock_path.empty()) {
      refreshing.emplace(lock_path, std::chrono::milliseconds(0));
      if (!refreshing->locked()) return {cached.value, {}, false};
    }
    try {
      return refresh(key, settings, fetch);
    } catch (const SmtpError&) {
      return {cached.value, {}, false};
    }
  }
  // None valid: wait for a worker that is fetching one, or fetch it.
  if (lock_path.empty()) return refresh(key, settings, fetch);
  const PrivateLock fetching(lock_path, kFetchWait);
  AccessToken fetched_by_another;
  if (load(key, fetched_by_another) && now < fetched_by_another.usable_until()) {
    tokens_[key] = fetched_by_another;
    return {fetched_by_another.value, {}, false};
  }
  return refresh(key, settings, fetch);
}

void TokenCache::discard(const OAuthSettings& settings, const std::string& access_token) {
  const std::lock_guard<std::mutex> guard(mutex_);
  settle();
  const std::string key = key_of(settings);
  tokens_.erase(key);
  AccessToken shared;
  if (load(key, shared) && shared.value == access_token) {
    shared.expires_at = 0;
    write_private_file(file_of(key) + ".token", shared.value + " 0 0\n");
  }
}

}  // namespace smtpx::oauth
