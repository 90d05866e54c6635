#include "core/delivery/transport.h"

#include <gtest/gtest.h>

#include "core/error.h"

using smtpx::InvalidInput;
using smtpx::delivery::parse_dsn;
using smtpx::delivery::parse_port_choice;
using smtpx::delivery::Transport;
using smtpx::smtp::TlsMode;

TEST(Dsn, SmtpWithPortUsesStarttls) {
  const Transport t = parse_dsn("smtp://apikey:SG.x%2Fy@smtp.sendgrid.net:587");
  EXPECT_EQ(t.host, "smtp.sendgrid.net");
  EXPECT_EQ(t.credentials.username, "apikey");
  EXPECT_EQ(t.credentials.password, "SG.x/y");
  ASSERT_EQ(t.ports.size(), 1u);
  EXPECT_EQ(t.ports[0].port, 587);
  EXPECT_EQ(t.ports[0].tls, TlsMode::starttls);
  EXPECT_TRUE(t.tls_required);
}

TEST(Dsn, SmtpsDefaultsToImplicitTlsOn465) {
  const Transport t = parse_dsn("smtps://u:p@mail.example.com");
  ASSERT_EQ(t.ports.size(), 1u);
  EXPECT_EQ(t.ports[0].port, 465);
  EXPECT_EQ(t.ports[0].tls, TlsMode::implicit);
}

TEST(Dsn, SmtpWithoutPortUsesTheDefaultPlan) {
  const Transport t = parse_dsn("smtp://mail.example.com");
  const auto plan = t.port_plan();
  ASSERT_EQ(plan.size(), 3u);
  EXPECT_EQ(plan[0].port, 587);
  EXPECT_EQ(plan[1].port, 2525);
  EXPECT_EQ(plan[2].port, 465);
  EXPECT_EQ(plan[2].tls, TlsMode::implicit);
}

TEST(Dsn, UserNameMayHoldAnUnencodedAt) {
  const Transport t = parse_dsn("smtp://postmaster@mg.example.com:secret@smtp.mailgun.org:2525");
  EXPECT_EQ(t.credentials.username, "postmaster@mg.example.com");
  EXPECT_EQ(t.credentials.password, "secret");
  EXPECT_EQ(t.host, "smtp.mailgun.org");
}

TEST(Dsn, Ipv6LiteralAndQueryParameters) {
  const Transport t = parse_dsn("smtp+plain://[::1]:2525?timeout=2.5&helo=client.example&tls_verify=0");
  EXPECT_EQ(t.host, "::1");
  EXPECT_FALSE(t.tls_required);
  EXPECT_DOUBLE_EQ(t.timeout, 2.5);
  EXPECT_EQ(t.helo, "client.example");
  EXPECT_FALSE(t.tls_verify);
  EXPECT_EQ(t.port_plan()[0].tls, TlsMode::none);
}

TEST(Dsn, ErrorsNameTheFieldAndNeverThePassword) {
  try {
    parse_dsn("smtp://user:hunter2@host:99999");
    FAIL();
  } catch (const InvalidInput& e) {
    EXPECT_EQ(e.field(), "dsn.port");
    EXPECT_EQ(std::string(e.what()).find("hunter2"), std::string::npos);
  }
  EXPECT_THROW(parse_dsn("http://host"), InvalidInput);
  EXPECT_THROW(parse_dsn("smtp://host?colour=blue"), InvalidInput);
  EXPECT_THROW(parse_dsn("smtp://u:%zz@host"), InvalidInput);
}

TEST(PortChoice, ModeFollowsThePortUnlessGiven) {
  EXPECT_EQ(parse_port_choice("465", "p").tls, TlsMode::implicit);
  EXPECT_EQ(parse_port_choice("2465", "p").tls, TlsMode::implicit);
  EXPECT_EQ(parse_port_choice("2525", "p").tls, TlsMode::starttls);
  EXPECT_EQ(parse_port_choice("2465/tls", "p").tls, TlsMode::implicit);
  EXPECT_EQ(parse_port_choice("25/starttls", "p").tls, TlsMode::starttls);
  EXPECT_THROW(parse_port_choice("25/maybe", "p"), InvalidInput);
  EXPECT_THROW(parse_port_choice("0", "p"), InvalidInput);
}

TEST(TransportValidation, TlsNoneRefusesAnImplicitTlsPort) {
  Transport t;
  t.tls_required = false;
  t.ports = {parse_port_choice("465", "p")};
  try {
    t.validate();
    FAIL();
  } catch (const InvalidInput& e) {
    EXPECT_EQ(e.field(), "transport.tls");
  }
}

TEST(TransportValidation, PasswordWithoutUserIsRefused) {
  Transport t;
  t.credentials.password = "x";
  EXPECT_THROW(t.validate(), InvalidInput);
}

TEST(TransportValidation, HeloWithCrlfIsRefused) {
  Transport t;
  t.helo = "a\r\nMAIL FROM:<x>";
  EXPECT_THROW(t.validate(), InvalidInput);
}

TEST(InvalidInputMessage, WritesControlBytesOfTheFieldAsEscapes) {
  const InvalidInput error("headers.X-A\r\nB", "is not a header name");
  EXPECT_STREQ(error.what(), "headers.X-A\\r\\nB: is not a header name");
  EXPECT_EQ(error.field(), "headers.X-A\r\nB");
}

TEST(Dsn, APasswordWithARawQuestionMarkStaysThePassword) {
  const Transport t = parse_dsn("smtp://u:1?secret@mail.example.com:587?timeout=5");
  EXPECT_EQ(t.credentials.password, "1?secret");
  EXPECT_EQ(t.host, "mail.example.com");
  EXPECT_EQ(t.timeout, 5);
}

TEST(Dsn, AnErrorAboutTheQueryNeverQuotesThePassword) {
  try {
    parse_dsn("smtp://u:1?secret@mail.example.com?colour=blue");
    FAIL() << "an unknown parameter was accepted";
  } catch (const InvalidInput& error) {
    EXPECT_NE(std::string(error.what()).find("'colour'"), std::string::npos) << error.what();
    EXPECT_EQ(std::string(error.what()).find("secret"), std::string::npos) << error.what();
  }
}

TEST(Dsn, RedactedHidesThePasswordAndSecretParameters) {
  using smtpx::delivery::redact_dsn;
  EXPECT_EQ(redact_dsn("smtp://u:p%40ss@h:587?timeout=5"), "smtp://u:********@h:587?timeout=5");
  EXPECT_EQ(redact_dsn("smtps://bob:p@ss/w0rd?@mail.example.com"), "smtps://bob:********@mail.example.com");
  EXPECT_EQ(redact_dsn("smtp://me%40example.com@smtp.gmail.com?timeout=5&oauth_token=ya29.abc&debug=1"),
            "smtp://me%40example.com@smtp.gmail.com?timeout=5&oauth_token=********&debug=1");
  EXPECT_EQ(redact_dsn("smtp://h?oauth_token=ya29.abc"), "smtp://h?oauth_token=********");
  EXPECT_EQ(redact_dsn("smtp://mail.example.com"), "smtp://mail.example.com");
  EXPECT_EQ(redact_dsn("not a dsn"), "not a dsn");
}

TEST(Dsn, ApiSchemesAsSymfonySpellsThem) {
  const Transport sendgrid = parse_dsn("sendgrid+api://SG.key@default?region=eu");
  EXPECT_EQ(sendgrid.api.name, "sendgrid");
  EXPECT_EQ(sendgrid.api.key, "SG.key");
  EXPECT_EQ(sendgrid.api.region, "eu");
  EXPECT_EQ(sendgrid.api.endpoint, "");
  EXPECT_TRUE(sendgrid.credentials.empty());
  const Transport mailgun = parse_dsn("mailgun+api://key-1:mg.example.com@default");
  EXPECT_EQ(mailgun.api.domain, "mg.example.com");
  const Transport ses = parse_dsn("ses+api://AKID:se%2Fcret@default?region=eu-west-1");
  EXPECT_EQ(ses.api.secret, "se/cret");
  const Transport local = parse_dsn("postmark+api://token@127.0.0.1:10443?message_stream=outbound");
  EXPECT_EQ(local.api.endpoint, "https://127.0.0.1:10443");
  EXPECT_EQ(local.api.message_stream, "outbound");
  EXPECT_THROW(parse_dsn("nosuch+api://k@default"), InvalidInput);
  EXPECT_THROW(parse_dsn("ses+api://AKID:secret@default"), InvalidInput);  // no region
}

TEST(Dsn, RedactedHidesAnApiKeyWhereSmtpHasTheUser) {
  EXPECT_EQ(smtpx::delivery::redact_dsn("sendgrid+api://SG.key@default"), "sendgrid+api://********@default");
  EXPECT_EQ(smtpx::delivery::redact_dsn("ses+api://AKID:secret@default?region=eu-west-1"),
            "ses+api://********:********@default?region=eu-west-1");
}

TEST(Transport, SendGridAndPostmarkSmtpFallBackToTheirApiByThemselves) {
  const auto sendgrid =
      smtpx::delivery::provider_api_fallback(parse_dsn("smtp://apikey:SG.key@smtp.sendgrid.net:587"));
  ASSERT_TRUE(sendgrid);
  EXPECT_EQ(sendgrid->api.name, "sendgrid");
  EXPECT_EQ(sendgrid->api.key, "SG.key");
  const auto postmark =
      smtpx::delivery::provider_api_fallback(parse_dsn("smtp://token:token@smtp.postmarkapp.com:587"));
  ASSERT_TRUE(postmark);
  EXPECT_EQ(postmark->api.key, "token");
  EXPECT_FALSE(smtpx::delivery::provider_api_fallback(
      parse_dsn("smtp://apikey:SG.key@smtp.sendgrid.net:587?api_fallback=0")));
  EXPECT_FALSE(smtpx::delivery::provider_api_fallback(parse_dsn("smtp://u:p@smtp.example.com:587")));
}
