#include "core/smtp/auth.h"

#include <gtest/gtest.h>
#include <sys/socket.h>

#include "core/mime/encoders.h"
#include "core/smtp/session.h"
#include "net_test_peer.h"

using namespace smtpx::smtp;

TEST(Auth, PlainInitialResponseIsNulSeparated) {
  Credentials c{"alice", "wonderland-42", "", {}};
  EXPECT_EQ(smtpx::mime::base64_decode(plain_initial_response(c)), std::string("\0alice\0wonderland-42", 20));
}

TEST(Auth, Xoauth2InitialResponseFollowsGooglesFormat) {
  Credentials c{"user@example.com", "", "ya29.token", {}};
  EXPECT_EQ(smtpx::mime::base64_decode(xoauth2_initial_response(c)),
            "user=user@example.com\x01"
            "auth=Bearer ya29.token\x01\x01");
}

TEST(Auth, PrefersPlainThenLoginAndXoauth2OnlyWithAToken) {
  smtpx::Capabilities caps;
  caps.auth = {"LOGIN", "PLAIN", "XOAUTH2"};
  EXPECT_EQ(choose_mechanism(caps, {"u", "p", "", {}}), "PLAIN");
  EXPECT_EQ(choose_mechanism(caps, {"u", "", "t", {}}), "XOAUTH2");
  caps.auth = {"LOGIN"};
  EXPECT_EQ(choose_mechanism(caps, {"u", "p", "", {}}), "LOGIN");
  EXPECT_EQ(choose_mechanism(caps, {"u", "", "t", {}}), "");
  caps.auth = {"CRAM-MD5"};
  EXPECT_EQ(choose_mechanism(caps, {"u", "p", "", {}}), "");
}

TEST(Transcript, RecordsCommandsAndRedactsSecrets) {
  Transcript t(true);
  t.client("MAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\n");
  t.client_secret("AUTH PLAIN <redacted>");
  t.client_body(42);
  t.server("250 2.0.0 Ok");
  EXPECT_EQ(t.text(),
            "C: MAIL FROM:<a@b>\nC: RCPT TO:<c@d>\nC: AUTH PLAIN <redacted>\nC: <message content, 42 "
            "bytes>\nS: 250 2.0.0 Ok\n");
}

TEST(Transcript, RecordsNothingWhenOff) {
  Transcript t(false);
  t.client("EHLO x\r\n");
  EXPECT_EQ(t.text(), "");
}

namespace {

// Reads one CRLF-ended line from the client, or what came before it closed.
std::string read_line(int fd) {
  std::string line;
  char byte;
  while (::recv(fd, &byte, 1, 0) == 1) {
    line.push_back(byte);
    if (line.size() >= 2 && line.compare(line.size() - 2, 2, "\r\n") == 0) break;
  }
  return line;
}

void say(int fd, const std::string& text) {
  ::send(fd, text.data(), text.size(), MSG_NOSIGNAL);
}

}  // namespace

TEST(Auth, LoginAnsweredWith235TooEarlySendsNoCredential) {
  std::string after_auth;
  {
    smtpx::net::test::Peer peer([&](int fd) {
      say(fd, "220 out-of-step ESMTP\r\n");
      read_line(fd);  // EHLO
      say(fd, "250-out-of-step\r\n250 AUTH LOGIN\r\n");
      read_line(fd);  // AUTH LOGIN
      say(fd, "235 2.7.0 Authentication successful\r\n");
      char buffer[4096];
      ssize_t got;
      while ((got = ::recv(fd, buffer, sizeof buffer, 0)) > 0)
        after_auth.append(buffer, static_cast<size_t>(got));
    });
    SessionSettings settings;
    settings.host = "127.0.0.1";
    settings.port = peer.port();
    settings.tls = TlsMode::none;
    settings.credentials = {"alice", "wonderland-42", "", {}};
    Session session(settings);
    try {
      session.open(smtpx::net::Deadline::in(5));
      FAIL() << "an AUTH LOGIN answered 235 before the password counted as authenticated";
    } catch (const smtpx::SmtpError& error) {
      EXPECT_EQ(error.failure().kind, smtpx::ErrorKind::protocol);
      EXPECT_EQ(error.failure().phase, smtpx::Phase::auth);
    }
  }
  EXPECT_EQ(after_auth.find(smtpx::mime::base64("alice")), std::string::npos) << after_auth;
  EXPECT_EQ(after_auth.find(smtpx::mime::base64("wonderland-42")), std::string::npos) << after_auth;
}

TEST(Auth, OauthbearerInitialResponseFollowsRfc7628) {
  Credentials c{"user@example.com", "", "ya29.token", {}};
  EXPECT_EQ(smtpx::mime::base64_decode(oauthbearer_initial_response(c, "smtp.example.com", 587)),
            "n,a=user@example.com,\x01host=smtp.example.com\x01port=587\x01"
            "auth=Bearer ya29.token\x01\x01");
}

TEST(Auth, WithATokenOnlyOauthMechanismsAndNeverAPasswordOneFirst) {
  smtpx::Capabilities caps;
  caps.auth = {"LOGIN", "PLAIN", "OAUTHBEARER"};
  EXPECT_EQ(choose_mechanism(caps, {"u", "", "t", {}}), "OAUTHBEARER");
  caps.auth = {"OAUTHBEARER", "XOAUTH2"};
  EXPECT_EQ(choose_mechanism(caps, {"u", "", "t", {}}), "XOAUTH2");
}

// XOAUTH2's refusal as Google sends it: a 334 with a JSON error, the client's
// empty line, then 535. With a refresh token behind it, one more AUTH with a new
// token on the same connection.
TEST(Auth, ARefusedTokenIsRenewedOnceOnTheSameConnection) {
  std::vector<std::string> lines;
  {
    smtpx::net::test::Peer peer([&](int fd) {
      say(fd, "220 oauth ESMTP\r\n");
      lines.push_back(read_line(fd));  // EHLO
      say(fd, "250-oauth\r\n250 AUTH XOAUTH2\r\n");
      lines.push_back(read_line(fd));  // AUTH XOAUTH2 with the old token
      say(fd, "334 eyJzdGF0dXMiOiI0MDEifQ==\r\n");
      lines.push_back(read_line(fd));  // the empty line
      say(fd, "535 5.7.8 Username and Password not accepted\r\n");
      lines.push_back(read_line(fd));  // AUTH XOAUTH2 with the new token
      say(fd, "235 2.7.0 Accepted\r\n");
      lines.push_back(read_line(fd));  // QUIT
      say(fd, "221 bye\r\n");
    });
    SessionSettings settings;
    settings.host = "127.0.0.1";
    settings.port = peer.port();
    settings.tls = TlsMode::none;
    settings.credentials = {"user@example.com", "", "old-token", {}};
    int renewals = 0;
    settings.credentials.renew_oauth_token = [&] {
      ++renewals;
      return std::string("new-token");
    };
    Session session(settings);
    session.open(smtpx::net::Deadline::in(5));
    session.quit();
    EXPECT_EQ(renewals, 1);
  }
  ASSERT_EQ(lines.size(), 5u);
  EXPECT_EQ(lines[2], "\r\n");
  EXPECT_NE(
      smtpx::mime::base64_decode(lines[3].substr(13, lines[3].size() - 15)).find("auth=Bearer new-token"),
      std::string::npos);
}
