// The session's own choices, seen from a scripted server: the EHLO name.
#include "core/smtp/session.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include "scripted_smtp.h"

namespace smtpx::smtp {
namespace {

TEST(EhloName, HeloWinsThenAQualifiedHostNameThenAnAddressLiteral) {
  EXPECT_EQ(ehlo_name_for("mail.example.com", "web1", "127.0.0.1"), "mail.example.com");
  EXPECT_EQ(ehlo_name_for("", "web1.example.com", "127.0.0.1"), "web1.example.com");
  EXPECT_EQ(ehlo_name_for("", "web1", "192.0.2.7"), "[192.0.2.7]");
  EXPECT_EQ(ehlo_name_for("", "web1", "2001:db8::7"), "[IPv6:2001:db8::7]");
  EXPECT_EQ(ehlo_name_for("", "", "::ffff:192.0.2.7"), "[192.0.2.7]");
}

TEST(EhloName, ASessionSaysTheLiteralOfItsLocalAddress) {
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  const std::string expected = std::string(host).find('.') != std::string::npos ? host : "[127.0.0.1]";
  testing::ScriptedSmtp server(testing::ScriptedSmtpOptions{});
  SessionSettings settings;
  settings.host = "127.0.0.1";
  settings.port = server.port();
  settings.tls = TlsMode::none;
  Session session(settings);
  session.open(net::Deadline::in(5));
  session.quit();
  ASSERT_FALSE(server.commands().empty());
  EXPECT_EQ(server.commands().front(), "EHLO " + expected);
}

}  // namespace
}  // namespace smtpx::smtp
