// A rotated refresh token sealed under the one it replaced: it opens with the
// same predecessor, context and file only.
#include "core/oauth/sealed_refresh_token.h"

#include <gtest/gtest.h>

namespace smtpx::oauth {
namespace {

TEST(SealedRefreshToken, OpensWithTheTokenItReplacedInTheSameFileOnly) {
  const std::string sealed = seal_refresh_token("rt-new", "rt-old", "https://idp/token\nclient", "file-a");
  EXPECT_EQ(sealed.find("rt-new"), std::string::npos);
  EXPECT_EQ(open_refresh_token(sealed, "rt-old", "https://idp/token\nclient", "file-a"), "rt-new");
  EXPECT_EQ(open_refresh_token(sealed, "rt-guess", "https://idp/token\nclient", "file-a"), std::nullopt);
  EXPECT_EQ(open_refresh_token(sealed, "rt-old", "https://idp/token\nanother", "file-a"), std::nullopt);
  EXPECT_EQ(open_refresh_token(sealed, "rt-old", "https://idp/token\nclient", "file-b"), std::nullopt);
}

TEST(SealedRefreshToken, DamagedTextDoesNotOpen) {
  std::string sealed = seal_refresh_token("rt-new", "rt-old", "context", "file");
  sealed[30] = sealed[30] == '0' ? '1' : '0';
  EXPECT_EQ(open_refresh_token(sealed, "rt-old", "context", "file"), std::nullopt);
  EXPECT_EQ(open_refresh_token("zz", "rt-old", "context", "file"), std::nullopt);
  EXPECT_EQ(open_refresh_token("", "rt-old", "context", "file"), std::nullopt);
}

TEST(SealedRefreshToken, EachSealIsDifferent) {
  EXPECT_NE(seal_refresh_token("rt", "old", "c", "f"), seal_refresh_token("rt", "old", "c", "f"));
}

}  // namespace
}  // namespace smtpx::oauth
