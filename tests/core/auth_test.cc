#include "core/smtp/auth.h"

#include <gtest/gtest.h>

#include "core/mime/encoders.h"

using namespace smtpx::smtp;

TEST(Auth, PlainInitialResponseIsNulSeparated) {
  Credentials c{"alice", "wonderland-42", ""};
  EXPECT_EQ(smtpx::mime::base64_decode(plain_initial_response(c)), std::string("\0alice\0wonderland-42", 20));
}

TEST(Auth, Xoauth2InitialResponseFollowsGooglesFormat) {
  Credentials c{"user@example.com", "", "ya29.token"};
  EXPECT_EQ(smtpx::mime::base64_decode(xoauth2_initial_response(c)),
            "user=user@example.com\x01" "auth=Bearer ya29.token\x01\x01");
}

TEST(Auth, PrefersPlainThenLoginAndXoauth2OnlyWithAToken) {
  smtpx::Capabilities caps;
  caps.auth = {"LOGIN", "PLAIN", "XOAUTH2"};
  EXPECT_EQ(choose_mechanism(caps, {"u", "p", ""}), "PLAIN");
  EXPECT_EQ(choose_mechanism(caps, {"u", "", "t"}), "XOAUTH2");
  caps.auth = {"LOGIN"};
  EXPECT_EQ(choose_mechanism(caps, {"u", "p", ""}), "LOGIN");
  EXPECT_EQ(choose_mechanism(caps, {"u", "", "t"}), "");
  caps.auth = {"CRAM-MD5"};
  EXPECT_EQ(choose_mechanism(caps, {"u", "p", ""}), "");
}

TEST(Transcript, RecordsCommandsAndRedactsSecrets) {
  Transcript t(true);
  t.client("MAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\n");
  t.client_secret("AUTH PLAIN <redacted>");
  t.client_body(42);
  t.server("250 2.0.0 Ok");
  EXPECT_EQ(t.text(), "C: MAIL FROM:<a@b>\nC: RCPT TO:<c@d>\nC: AUTH PLAIN <redacted>\nC: <message content, 42 bytes>\nS: 250 2.0.0 Ok\n");
}

TEST(Transcript, RecordsNothingWhenOff) {
  Transcript t(false);
  t.client("EHLO x\r\n");
  EXPECT_EQ(t.text(), "");
}
