// OAuth access tokens kept between sends: fetched once, refreshed early by one
// worker while the others keep the valid token, shared through a private file
// that never holds the refresh token.
#include "core/oauth/token_cache.h"

#include <dirent.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include <fstream>
#include <functional>
#include <sstream>

#include "core/error.h"
#include "core/private_files.h"

namespace smtpx::oauth {
namespace {

class TokenCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/smtpx-token-cache-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    directory_ = pattern;
    settings_.provider = "google";
    settings_.client_id = "client";
    settings_.refresh_token = "rt-secret-1";
  }
  void TearDown() override {
    for (const std::string& name : names()) ::unlink((own() + "/" + name).c_str());
    ::rmdir(own().c_str());
    ::rmdir(directory_.c_str());
  }

  std::string own() const { return directory_ + "/smtpx-" + std::to_string(geteuid()); }
  std::vector<std::string> names() const {
    std::vector<std::string> found;
    if (DIR* dir = opendir(own().c_str())) {
      while (const dirent* entry = readdir(dir))
        if (entry->d_name[0] != '.') found.emplace_back(entry->d_name);
      closedir(dir);
    }
    return found;
  }

  TokenCache::WallClock clock() {
    return [this] { return now_; };
  }

  // An endpoint that hands out "at-N", valid for an hour, and counts the calls;
  // `rotate_to` is the new refresh token it answers with ("" for none).
  TokenCache::Fetch endpoint(std::string rotate_to = {}) {
    return answering([rotate_to] { return rotate_to; });
  }

  // A provider that rotates on every refresh, as oidc-provider does: answers
  // "rt-secret-2", "rt-secret-3" ... and counts each token presented.
  TokenCache::Fetch rotating() {
    return answering([this] { return "rt-secret-" + std::to_string(asked_with_.size() + 1); });
  }

  TokenCache::Fetch answering(std::function<std::string()> new_refresh_token) {
    return [this, new_refresh_token](const std::string& refresh_token) {
      asked_with_.push_back(refresh_token);
      TokenAnswer answer;
      answer.token.value = "at-" + std::to_string(asked_with_.size());
      answer.token.obtained_at = now_;
      answer.token.expires_at = now_ + 3600;
      answer.refresh_token = new_refresh_token();
      return answer;
    };
  }

  // The lock of the one token file, which sits beside it under the same name.
  std::string lock_file() const {
    for (const std::string& name : names())
      if (name.size() > 6 && name.compare(name.size() - 6, 6, ".token") == 0)
        return own() + "/" + name.substr(0, name.size() - 6) + ".lock";
    ADD_FAILURE() << "no token file";
    return own() + "/none.lock";
  }

  std::string all_files() const {
    std::string text;
    for (const std::string& name : names()) {
      std::ifstream in(own() + "/" + name);
      std::stringstream content;
      content << in.rdbuf();
      text += name + "\n" + content.str();
    }
    return text;
  }

  TokenCache::Fetch down() {
    return [this](const std::string&) -> TokenAnswer {
      asked_with_.push_back("down");
      SmtpFailure failure;
      failure.kind = ErrorKind::connect;
      failure.transient = true;
      failure.message = "the token endpoint is down";
      throw SmtpError(failure);
    };
  }

  std::string directory_;
  std::time_t now_ = 1'800'000'000;
  OAuthSettings settings_;
  std::vector<std::string> asked_with_;
};

TEST_F(TokenCacheTest, FetchesOnceThenServesTheCachedToken) {
  TokenCache cache(directory_, clock());
  const TokenCache::Use first = cache.token(settings_, endpoint());
  EXPECT_EQ(first.access_token, "at-1");
  EXPECT_TRUE(first.fetched);
  now_ += 600;
  const TokenCache::Use second = cache.token(settings_, endpoint());
  EXPECT_EQ(second.access_token, "at-1");
  EXPECT_FALSE(second.fetched);
  EXPECT_EQ(asked_with_.size(), 1u);
}

TEST_F(TokenCacheTest, RefreshesAtEightyPercentOfTheLifetime) {
  EXPECT_EQ((AccessToken{"t", 1000, 4600}.refresh_at()), 1000 + 2880);  // 80% comes before 5 minutes left
  EXPECT_EQ((AccessToken{"t", 1000, 1600}.refresh_at()), 1300);         // a 10-minute token: 5 minutes left
  TokenCache cache(directory_, clock());
  cache.token(settings_, endpoint());
  now_ += 2879;
  EXPECT_EQ(cache.token(settings_, endpoint()).access_token, "at-1");
  now_ += 2;
  EXPECT_EQ(cache.token(settings_, endpoint()).access_token, "at-2");
}

TEST_F(TokenCacheTest, AShortTokenIsRefreshedAtHalfItsLifetimeAndUsedAlmostToItsEnd) {
  EXPECT_EQ((AccessToken{"t", 1000, 1300}.refresh_at()), 1150);  // Keycloak's 5 minutes: not at once
  EXPECT_EQ((AccessToken{"t", 1000, 1060}.refresh_at()), 1030);
  EXPECT_EQ((AccessToken{"t", 1000, 1060}.usable_until()), 1054);
  EXPECT_EQ((AccessToken{"t", 1000, 4600}.usable_until()), 4570);
  TokenCache cache(directory_, clock());
  const TokenCache::Fetch lasts_a_minute = [this](const std::string&) {
    asked_with_.push_back("short");
    TokenAnswer answer;
    answer.token.value = "at-" + std::to_string(asked_with_.size());
    answer.token.obtained_at = now_;
    answer.token.expires_at = now_ + 60;
    return answer;
  };
  cache.token(settings_, lasts_a_minute);
  now_ += 29;
  EXPECT_EQ(cache.token(settings_, lasts_a_minute).access_token, "at-1");
  EXPECT_EQ(asked_with_.size(), 1u);
  now_ += 1;
  EXPECT_EQ(cache.token(settings_, lasts_a_minute).access_token, "at-2");
}

TEST_F(TokenCacheTest, AnotherWorkerReadsTheTokenFromTheSharedFile) {
  TokenCache first(directory_, clock());
  first.token(settings_, endpoint());
  TokenCache second(directory_, clock());
  const TokenCache::Use use = second.token(settings_, endpoint());
  EXPECT_EQ(use.access_token, "at-1");
  EXPECT_FALSE(use.fetched);
  EXPECT_EQ(asked_with_.size(), 1u);
}

TEST_F(TokenCacheTest, WhileAnotherWorkerRefreshesTheValidTokenIsUsedWithoutWaiting) {
  TokenCache cache(directory_, clock());
  cache.token(settings_, endpoint());
  now_ += 3000;  // due, still valid
  const PrivateLock held(lock_file(), std::chrono::milliseconds(0));
  ASSERT_TRUE(held.locked());
  EXPECT_EQ(cache.token(settings_, endpoint()).access_token, "at-1");
  EXPECT_EQ(asked_with_.size(), 1u);
}

TEST_F(TokenCacheTest, WithNoValidTokenAWorkerDoesNotAskBesideTheOneThatHoldsTheLock) {
  TokenCache cache(directory_, clock());
  cache.token(settings_, endpoint());
  now_ += 3700;  // expired
  const PrivateLock held(lock_file(), std::chrono::milliseconds(0));
  ASSERT_TRUE(held.locked());
  try {
    TokenCache(directory_, clock()).token(settings_, endpoint());
    FAIL() << "fetched beside the lock holder";
  } catch (const SmtpError& error) {
    EXPECT_TRUE(error.failure().transient);
    EXPECT_EQ(error.failure().kind, ErrorKind::auth);
  }
  EXPECT_EQ(asked_with_.size(), 1u);
}

TEST_F(TokenCacheTest, AnEndpointThatIsDownCostsNothingWhileTheTokenIsValid) {
  TokenCache cache(directory_, clock());
  cache.token(settings_, endpoint());
  now_ += 3000;
  EXPECT_EQ(cache.token(settings_, down()).access_token, "at-1");
  now_ += 700;  // expired now
  EXPECT_THROW(cache.token(settings_, down()), SmtpError);
}

TEST_F(TokenCacheTest, TheFileIsPrivateAndNeverHoldsTheRefreshToken) {
  TokenCache cache(directory_, clock());
  cache.token(settings_, endpoint());
  ASSERT_FALSE(names().empty());
  for (const std::string& name : names()) {
    const std::string path = own() + "/" + name;
    struct stat info {};
    ASSERT_EQ(stat(path.c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 0077, 0u) << name;
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    EXPECT_EQ(text.str().find("rt-secret-1"), std::string::npos) << name;
    EXPECT_EQ(name.find("rt-secret-1"), std::string::npos);
  }
}

TEST_F(TokenCacheTest, ARotatedRefreshTokenIsHandedBackAndUsedNextTime) {
  TokenCache cache(directory_, clock());
  const TokenCache::Use first = cache.token(settings_, endpoint("rt-secret-2"));
  EXPECT_EQ(first.rotated_refresh_token, "rt-secret-2");
  now_ += 3000;
  cache.token(settings_, endpoint());
  ASSERT_EQ(asked_with_.size(), 2u);
  EXPECT_EQ(asked_with_[1], "rt-secret-2");
}

// Workers that each send with the token they were configured with, one of them
// stale: every refresh presents the grant's newest token, never one twice (a
// provider with reuse detection would revoke the grant).
TEST_F(TokenCacheTest, EachRotatedRefreshTokenIsPresentedOnceWhicheverWorkerRefreshes) {
  TokenCache first(directory_, clock());
  TokenCache second(directory_, clock());
  TokenCache third(directory_, clock());
  EXPECT_EQ(first.token(settings_, rotating()).rotated_refresh_token, "rt-secret-2");
  for (TokenCache* worker : {&second, &third, &first, &second}) {
    now_ += 3000;  // due
    const TokenCache::Use use = worker->token(settings_, rotating());
    EXPECT_TRUE(use.fetched);
    EXPECT_EQ(use.rotated_refresh_token, "rt-secret-" + std::to_string(asked_with_.size() + 1));
  }
  EXPECT_EQ(asked_with_, (std::vector<std::string>{"rt-secret-1", "rt-secret-2", "rt-secret-3", "rt-secret-4",
                                                   "rt-secret-5"}));
}

TEST_F(TokenCacheTest, AWorkerThatDidNotRefreshLearnsTheNewestRefreshTokenForItsCaller) {
  TokenCache refresher(directory_, clock());
  refresher.token(settings_, rotating());
  TokenCache other(directory_, clock());
  const TokenCache::Use use = other.token(settings_, rotating());
  EXPECT_FALSE(use.fetched);
  EXPECT_EQ(use.access_token, "at-1");
  EXPECT_EQ(use.rotated_refresh_token, "rt-secret-2");
  // Its caller stores it; configured with it, the cached access token is found, and nothing is reported.
  OAuthSettings updated = settings_;
  updated.refresh_token = "rt-secret-2";
  TokenCache restarted(directory_, clock());
  const TokenCache::Use after = restarted.token(updated, rotating());
  EXPECT_FALSE(after.fetched);
  EXPECT_EQ(after.access_token, "at-1");
  EXPECT_EQ(after.rotated_refresh_token, "");
  EXPECT_EQ(asked_with_.size(), 1u);
}

TEST_F(TokenCacheTest, RotatedRefreshTokensAreSealedInTheFiles) {
  TokenCache cache(directory_, clock());
  for (int refresh = 0; refresh < 3; ++refresh, now_ += 3000) cache.token(settings_, rotating());
  const std::string files = all_files();
  EXPECT_EQ(files.find("rt-secret"), std::string::npos) << files;
  // Without the configured token (another grant's, a guess) the chain does not open: its worker starts
  // afresh.
  OAuthSettings stranger = settings_;
  stranger.refresh_token = "rt-other";
  TokenCache(directory_, clock()).token(stranger, rotating());
  EXPECT_EQ(asked_with_.back(), "rt-other");
}

TEST_F(TokenCacheTest, AWorkerWithNoValidTokenTakesTheOneAnotherFetchedAfterARotation) {
  TokenCache first(directory_, clock());
  first.token(settings_, rotating());
  now_ += 3700;  // expired: a worker with no valid token waits on the lock, here held by nobody
  TokenCache second(directory_, clock());
  second.token(settings_, rotating());
  TokenCache third(directory_, clock());
  const TokenCache::Use use = third.token(settings_, rotating());
  EXPECT_FALSE(use.fetched);
  EXPECT_EQ(use.access_token, "at-2");
  EXPECT_EQ(asked_with_, (std::vector<std::string>{"rt-secret-1", "rt-secret-2"}));
}

TEST_F(TokenCacheTest, ARotationPrunesFilesUnchangedForThirtyDays) {
  TokenCache cache(directory_, clock());
  cache.token(settings_, rotating());
  const std::string stale = own() + "/oauth-0123456789abcdef0123456789abcdef.token";
  const std::string recent = own() + "/oauth-fedcba9876543210fedcba9876543210.token";
  for (const std::string& path : {stale, recent}) ASSERT_TRUE(write_private_file(path, "at 0 0 -\n"));
  const struct timeval thirty_one_days_ago[2] = {{time(nullptr) - 31 * 24 * 3600, 0},
                                                 {time(nullptr) - 31 * 24 * 3600, 0}};
  ASSERT_EQ(utimes(stale.c_str(), thirty_one_days_ago), 0);
  now_ += 3000;
  cache.token(settings_, rotating());
  EXPECT_NE(::access(stale.c_str(), F_OK), 0);
  EXPECT_EQ(::access(recent.c_str(), F_OK), 0);
  EXPECT_EQ(::access((own() + "/oauth.key").c_str(), F_OK), 0);
}

// PHP-FPM's master configures the module as root; its workers send as the pool's user.
TEST_F(TokenCacheTest, TheWorkersUserKeepsTheTokensNotTheUserWhoConfigured) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root, to send as another user";
  TokenCache cache(directory_, clock());
  ASSERT_EQ(::chmod(directory_.c_str(), 01777), 0);
  const uid_t worker = 65534;
  const std::string workers_directory = directory_ + "/smtpx-" + std::to_string(worker);
  EXPECT_EXIT(
      {
        if (::setgid(65534) != 0 || ::setuid(worker) != 0) std::_Exit(2);
        cache.token(settings_, endpoint());
        TokenCache another_worker(directory_, clock());
        std::_Exit(another_worker.token(settings_, endpoint()).fetched ? 3 : 0);
      },
      ::testing::ExitedWithCode(0), "");
  // What the child left, removed here (TearDown knows root's directory only).
  if (DIR* dir = opendir(workers_directory.c_str())) {
    while (const dirent* entry = readdir(dir))
      if (entry->d_name[0] != '.') ::unlink((workers_directory + "/" + entry->d_name).c_str());
    closedir(dir);
  }
  ::rmdir(workers_directory.c_str());
}

TEST_F(TokenCacheTest, ARefusedTokenIsNotHandedOutAgain) {
  TokenCache cache(directory_, clock());
  cache.token(settings_, endpoint());
  cache.discard(settings_, "at-1");
  EXPECT_EQ(cache.token(settings_, endpoint()).access_token, "at-2");
  TokenCache other(directory_, clock());
  EXPECT_EQ(other.token(settings_, endpoint()).access_token, "at-2");
}

}  // namespace
}  // namespace smtpx::oauth
