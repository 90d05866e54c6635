// Access tokens kept between sends: in the process, and in a file shared by
// the host's PHP workers (private_files.h: mode 0600, replaced atomically,
// named by a keyed hash of the refresh token and never holding it). A token
// is refreshed early (AccessToken::refresh_at) by one worker at a time, under
// a lock the others do not wait for: they keep sending with the token that is
// still valid, so after warm-up no send waits for the token endpoint.
#pragma once

#include <sys/types.h>

#include <ctime>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>

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
    std::string rotated_refresh_token;  // set when this call got a new refresh token from the provider
    bool fetched = false;               // asked the endpoint just now, rather than taken from the cache
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
  void settle();
  std::string key_of(const OAuthSettings& settings);
  std::string file_of(const std::string& key) const;
  bool load(const std::string& key, AccessToken& token) const;
  void store(const std::string& key, const AccessToken& token);
  Use refresh(const std::string& key, const OAuthSettings& settings, const Fetch& fetch);

  std::string base_;                  // where the users' private directories are made, or empty
  std::optional<uid_t> settled_for_;  // the user directory_ and hash_key_ belong to
  std::string directory_;             // that user's private directory, or empty
  WallClock clock_;
  std::string hash_key_;
  std::map<std::string, AccessToken> tokens_;
  std::map<std::string, std::string> rotated_;  // key -> the newest refresh token this process was given
  std::mutex mutex_;
};

}  // namespace smtpx::oauth
