#include "token_cache.h"

#include <dirent.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <optional>
#include <sstream>
#include <stdexcept>

#include "../digest.h"
#include "../error.h"
#include "../private_files.h"
#include "../text/hex.h"
#include "sealed_refresh_token.h"

namespace smtpx::oauth {

namespace {

// How long a worker with no valid token waits for another that is fetching one.
constexpr auto kFetchWait = std::chrono::milliseconds(5000);
// The longest chain of rotated refresh tokens followed.
constexpr int kMaxLinks = 64;
// How long the files of a grant are kept unchanged before they are pruned.
constexpr std::time_t kKeepLinks = 30 * 24 * 3600;

SmtpError slow_endpoint() {
  SmtpFailure failure;
  failure.kind = ErrorKind::auth;
  failure.phase = Phase::auth;
  failure.transient = true;
  failure.hint = "The token endpoint is slow: try again later.";
  failure.message = "cannot get an OAuth2 access token: another worker has been waiting " +
                    std::to_string(kFetchWait.count() / 1000) + " s for the token endpoint. " + failure.hint;
  return SmtpError(failure);
}

// What a key and a sealed successor are bound to besides the refresh token.
std::string context_of(const OAuthSettings& settings) {
  return token_url_for(settings) + "\n" + settings.client_id;
}

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
  newest_.clear();
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

std::string TokenCache::key_of(const OAuthSettings& settings, const std::string& refresh_token) {
  if (hash_key_.empty()) hash_key_ = random_hex(32);  // in the process only
  return text::to_hex(hmac_sha256(hash_key_, context_of(settings) + "\n" + refresh_token));
}

std::string TokenCache::file_of(const std::string& key) const {
  return directory_.empty() ? std::string() : directory_ + "/oauth-" + key.substr(0, 32);
}

// "<access token> <expires at> <obtained at> <sealed successor or ->\n"; access
// tokens hold no spaces (RFC 6750 2.1). Files of earlier versions lack the last field.
bool TokenCache::load(const std::string& key, AccessToken& token, std::string& successor) const {
  if (directory_.empty()) return false;
  const std::optional<std::string> text = read_private_file(file_of(key) + ".token", 16 * 1024);
  if (!text) return false;
  std::istringstream fields(*text);
  long long expires = 0, obtained = 0;
  AccessToken read;
  if (!(fields >> read.value >> expires >> obtained)) return false;
  std::string next;
  if (!(fields >> next) || next == "-") next.clear();
  read.expires_at = static_cast<std::time_t>(expires);
  read.obtained_at = static_cast<std::time_t>(obtained);
  token = std::move(read);
  successor = std::move(next);
  return true;
}

void TokenCache::store(const std::string& key, const AccessToken& token, const std::string& successor) {
  if (directory_.empty()) return;
  write_private_file(file_of(key) + ".token",
                     token.value + " " + std::to_string(static_cast<long long>(token.expires_at)) + " " +
                         std::to_string(static_cast<long long>(token.obtained_at)) + " " +
                         (successor.empty() ? "-" : successor) + "\n");
}

// Follows the successors from `refresh_token`'s file to the newest token, for
// a bounded number of links (a provider that rotated back to an old token would
// make a loop). A link that does not open (damaged) ends the walk where it is.
TokenCache::Head TokenCache::head_from(const OAuthSettings& settings, const std::string& refresh_token) {
  Head head{refresh_token, key_of(settings, refresh_token), {}};
  for (int link = 0; link < kMaxLinks; ++link) {
    std::string sealed;
    if (!load(head.key, head.token, sealed) || sealed.empty()) break;
    const std::optional<std::string> successor =
        open_refresh_token(sealed, head.refresh_token, context_of(settings), head.key);
    if (!successor) break;
    head = Head{*successor, key_of(settings, *successor), {}};
  }
  return head;
}

// The lock on the newest token, which is the one to present once: when another
// worker rotated the grant while this one waited, the lock moves along with it.
// `head` is read again under each lock.
std::unique_ptr<PrivateLock> TokenCache::lock_head(const OAuthSettings& settings, const std::string& own_key,
                                                   Head& head, std::chrono::milliseconds wait) {
  for (int link = 0; link < kMaxLinks; ++link) {
    auto lock = std::make_unique<PrivateLock>(file_of(head.key) + ".lock", wait);
    Head now = head_from(settings, head.refresh_token);
    const bool moved = now.refresh_token != head.refresh_token;
    head = std::move(now);
    newest_[own_key] = head.refresh_token;
    if (!lock->locked()) return nullptr;
    if (!moved) return lock;
  }
  return nullptr;
}

// The head as the files know it now, walked from the newest token this process
// saw (the configured one at first), and remembered.
TokenCache::Head TokenCache::head_of(const OAuthSettings& settings, const std::string& own_key) {
  const auto newest = newest_.find(own_key);
  Head head = head_from(settings, newest != newest_.end() ? newest->second : settings.refresh_token);
  newest_[own_key] = head.refresh_token;
  return head;
}

TokenCache::Use TokenCache::use(const OAuthSettings& settings, const std::string& own_key,
                                const AccessToken& token, bool fetched) {
  tokens_[own_key] = token;
  const auto newest = newest_.find(own_key);
  const bool rotated = newest != newest_.end() && newest->second != settings.refresh_token;
  return {token.value, rotated ? newest->second : std::string(), fetched};
}

// Presents the head's refresh token; a rotated answer becomes the new head,
// written before the link to it so that a worker following the link finds it.
TokenCache::Use TokenCache::refresh(const OAuthSettings& settings, const std::string& own_key,
                                    const Head& head, const Fetch& fetch) {
  const TokenAnswer answer = fetch(head.refresh_token);
  if (!answer.refresh_token.empty() && answer.refresh_token != head.refresh_token) {
    store(key_of(settings, answer.refresh_token), answer.token);
    store(head.key, answer.token,
          seal_refresh_token(answer.refresh_token, head.refresh_token, context_of(settings), head.key));
    newest_[own_key] = answer.refresh_token;
    prune_old_links();
  } else {
    store(head.key, answer.token);
  }
  return use(settings, own_key, answer.token, true);
}

// A link is read by workers still configured with an older token of its
// grant; each send tells their caller the newest (Use::rotated_refresh_token),
// so after kKeepLinks unused, files are removed rather than kept for ever.
void TokenCache::prune_old_links() {
  DIR* dir = directory_.empty() ? nullptr : opendir(directory_.c_str());
  if (!dir) return;
  const std::time_t oldest = std::time(nullptr) - kKeepLinks;  // file times are the real clock's
  while (const dirent* entry = readdir(dir)) {
    if (std::strncmp(entry->d_name, "oauth-", 6) != 0) continue;
    const std::string path = directory_ + "/" + entry->d_name;
    struct stat info {};
    if (lstat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode) && info.st_mtime < oldest)
      ::unlink(path.c_str());
  }
  closedir(dir);
}

TokenCache::Use TokenCache::token(const OAuthSettings& settings, const Fetch& fetch) {
  const std::lock_guard<std::mutex> guard(mutex_);
  settle();
  const std::string own_key = key_of(settings, settings.refresh_token);
  const std::time_t now = clock_();
  const auto fresh = [now](const AccessToken& token) {
    return !token.value.empty() && now < token.usable_until() && now < token.refresh_at();
  };
  const auto valid = [now](const AccessToken& token) {
    return !token.value.empty() && now < token.usable_until();
  };
  const auto known = tokens_.find(own_key);
  // Only a token this process lacks or must refresh is looked for in the files,
  // where another worker may have put a newer one: no file read per send.
  if (known != tokens_.end() && fresh(known->second)) return use(settings, own_key, known->second, false);
  AccessToken cached = known != tokens_.end() ? known->second : AccessToken{};
  Head head = head_of(settings, own_key);
  if (head.token.expires_at > cached.expires_at) cached = head.token;
  if (fresh(cached)) return use(settings, own_key, cached, false);
  if (valid(cached)) {
    // Due: one worker refreshes; the others, and this one if the endpoint
    // fails, go on with the token that is still valid.
    std::unique_ptr<PrivateLock> refreshing;  // held until the refresh is written
    if (!directory_.empty()) {
      refreshing = lock_head(settings, own_key, head, std::chrono::milliseconds(0));
      if (!refreshing) return use(settings, own_key, cached, false);
      if (fresh(head.token)) return use(settings, own_key, head.token, false);
    }
    return refresh_or_keep(settings, own_key, head, fetch, cached);
  }
  // None valid: wait for a worker that is fetching one, or fetch it.
  if (directory_.empty()) return refresh(settings, own_key, head, fetch);
  const std::unique_ptr<PrivateLock> fetching = lock_head(settings, own_key, head, kFetchWait);
  if (valid(head.token)) return use(settings, own_key, head.token, false);
  // Asking beside the worker that holds the lock would present the same refresh
  // token twice, which a rotating provider may answer by revoking the grant.
  if (!fetching) throw slow_endpoint();
  return refresh(settings, own_key, head, fetch);
}

TokenCache::Use TokenCache::refresh_or_keep(const OAuthSettings& settings, const std::string& own_key,
                                            const Head& head, const Fetch& fetch,
                                            const AccessToken& still_valid) {
  try {
    return refresh(settings, own_key, head, fetch);
  } catch (const SmtpError&) {
    return use(settings, own_key, still_valid, false);
  }
}

void TokenCache::discard(const OAuthSettings& settings, const std::string& access_token) {
  const std::lock_guard<std::mutex> guard(mutex_);
  settle();
  const std::string own_key = key_of(settings, settings.refresh_token);
  tokens_.erase(own_key);
  const Head head = head_of(settings, own_key);
  if (head.token.value == access_token) store(head.key, AccessToken{access_token, 0, 0});
}

}  // namespace smtpx::oauth
