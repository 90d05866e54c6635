// Access tokens kept between sends: in the process, and in a file shared by
// the host's PHP workers (private_files.h: mode 0600, replaced atomically,
// named by a keyed hash of the refresh token and never holding it). A token
// is refreshed early (AccessToken::refresh_at) by one worker at a time, under
// a lock the others do not wait for: they keep sending with the token that is
// still valid, so after warm-up no send waits for the token endpoint.
//
// A provider that rotates refresh tokens and revokes the grant when a replaced
// one comes back (oidc-provider, Okta, Auth0) must see each token presented
// once, by whichever worker: so the file of a replaced token names its
// successor, sealed under the replaced one (sealed_refresh_token.h), and every
// worker configured with any token of the grant follows that chain to the
// newest before it refreshes, under the newest one's lock.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <ctime>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "../private_files.h"
#include "token_endpoint.h"

namespace smtpx::oauth {

class TokenCache {
 public:
  using Fetch = std::function<TokenAnswer(const std::string& refresh_token)>;
  using WallClock = std::function<std::time_t()>;

  // `directory` empty: in the process only.
  explicit TokenCache(
      std::string directory, WallClock clock = [] { return std::time(nullptr); });

  struct Use {
    std::string access_token;
    // The grant's newest refresh token when it is not the one configured (the
    // provider rotated it, in this worker or another): the caller stores it.
    std::string rotated_refresh_token;
    bool fetched = false;  // asked the endpoint just now, rather than taken from the cache
  };
  // The token to authenticate with now for `settings`, fetched with `fetch`
  // when none is cached or the cached one is due. Throws what `fetch` throws,
  // unless a still-valid token can be used instead (the endpoint is down,
  // another worker is refreshing).
  Use token(const OAuthSettings& settings, const Fetch& fetch);
  // The server refused `access_token`: it is not handed out again.
  void discard(const OAuthSettings& settings, const std::string& access_token);

  // `directory`: where each user's private directory is made, at that user's
  // first send (a worker may run as another user than the one that configured).
  void configure(std::string directory);
  // The one the mailer uses; the glue configures it at startup (sys_get_temp_dir()).
  static TokenCache& process();

 private:
  // The newest refresh token of a grant as the files know it, and what is cached under it.
  struct Head {
    std::string refresh_token;
    std::string key;
    AccessToken token;
  };
  void settle();
  std::string key_of(const OAuthSettings& settings, const std::string& refresh_token);
  std::string file_of(const std::string& key) const;
  bool load(const std::string& key, AccessToken& token, std::string& successor) const;
  void store(const std::string& key, const AccessToken& token, const std::string& successor = {});
  Head head_from(const OAuthSettings& settings, const std::string& refresh_token);
  Head head_of(const OAuthSettings& settings, const std::string& own_key);
  std::unique_ptr<PrivateLock> lock_head(const OAuthSettings& settings, const std::string& own_key,
                                         Head& head, std::chrono::milliseconds wait);
  Use use(const OAuthSettings& settings, const std::string& own_key, const AccessToken& token, bool fetched);
  Use refresh(const OAuthSettings& settings, const std::string& own_key, const Head& head,
              const Fetch& fetch);
  // refresh(), or `still_valid` when the endpoint fails.
  Use refresh_or_keep(const OAuthSettings& settings, const std::string& own_key, const Head& head,
                      const Fetch& fetch, const AccessToken& still_valid);
  void prune_old_links();

  std::string base_;                  // where the users' private directories are made, or empty
  std::optional<uid_t> settled_for_;  // the user directory_ and hash_key_ belong to
  std::string directory_;             // that user's private directory, or empty
  WallClock clock_;
  std::string hash_key_;
  std::map<std::string, AccessToken> tokens_;  // key of the configured refresh token -> this process's token
  std::map<std::string, std::string> newest_;  // the same key -> the newest refresh token this process saw
  std::mutex mutex_;
};

}  // namespace smtpx::oauth
