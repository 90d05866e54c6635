#include "core/smtp/failure.h"

#include <gtest/gtest.h>

using smtpx::ErrorKind;
using smtpx::Phase;
using smtpx::Reply;
using namespace smtpx::smtp;

namespace {
Reply reply(int code, std::string status, std::string text) {
  Reply r;
  r.code = code;
  r.enhanced_status = std::move(status);
  r.lines = {std::move(text)};
  return r;
}
}  // namespace

TEST(Failure, FourHundredsAreTransient) {
  EXPECT_TRUE(reply_is_transient(reply(450, "4.2.0", "4.2.0 mailbox busy")));
  EXPECT_FALSE(reply_is_transient(reply(550, "5.1.1", "5.1.1 no such user")));
}

TEST(Failure, SendGridAccountProblemsArePermanentInDisguise) {
  EXPECT_FALSE(reply_is_transient(reply(451, "", "Authentication failed: Maximum credits exceeded")));
  EXPECT_FALSE(reply_is_transient(reply(451, "", "Authentication failed: Could not authenticate")));
}

TEST(Failure, BadCredentialsGetAHint) {
  const auto f =
      failure_from_reply(ErrorKind::auth, Phase::auth,
                         reply(535, "5.7.8", "5.7.8 Error: authentication failed"), "AUTH PLAIN was refused");
  EXPECT_EQ(f.smtp_code, 535);
  EXPECT_EQ(f.enhanced_status, "5.7.8");
  EXPECT_FALSE(f.transient);
  EXPECT_NE(f.message.find("app password"), std::string::npos);
  EXPECT_EQ(f.message.rfind("AUTH PLAIN was refused: 535 5.7.8 Error: authentication failed", 0), 0u);
}

TEST(Failure, BasicAuthDisabledPointsToOauth) {
  const auto f =
      failure_from_reply(ErrorKind::auth, Phase::auth,
                         reply(535, "5.7.30", "5.7.30 Basic authentication is disabled"), "refused");
  EXPECT_NE(f.message.find("oauth_token"), std::string::npos);
}

TEST(Failure, AuthenticationRequiredAsksForCredentialsNotAnotherSender) {
  const auto f =
      failure_from_reply(ErrorKind::rejected, Phase::mail,
                         reply(530, "5.7.0", "5.7.0 Authentication required"), "MAIL FROM was refused");
  EXPECT_NE(f.hint.find("user name and password"), std::string::npos) << f.hint;
  EXPECT_EQ(f.hint.find("sender"), std::string::npos) << f.hint;
  EXPECT_EQ(f.message, "MAIL FROM was refused: 530 5.7.0 Authentication required. " + f.hint);
}

TEST(Failure, HintIsEmptyWhenNoneApplies) {
  const auto f =
      failure_from_reply(ErrorKind::protocol, Phase::data, reply(554, "5.0.0", "5.0.0 no"), "refused");
  EXPECT_TRUE(f.hint.empty());
  EXPECT_EQ(f.message, "refused: 554 5.0.0 no");
}
