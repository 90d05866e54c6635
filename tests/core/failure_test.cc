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

TEST(Failure, ARefusedLoginNamesTheCredentialTheProviderWants) {
  const Reply refused = reply(535, "5.7.8", "5.7.8 Authentication failed");
  EXPECT_NE(hint_for(refused, Phase::auth, "smtp.sendgrid.net").find("apikey"), std::string::npos);
  EXPECT_NE(hint_for(refused, Phase::auth, "smtp-relay.brevo.com").find("SMTP key"), std::string::npos);
  EXPECT_NE(hint_for(refused, Phase::auth, "email-smtp.eu-west-1.amazonaws.com").find("IAM"),
            std::string::npos);
  EXPECT_NE(hint_for(refused, Phase::auth, "SMTP.Mailgun.org").find("postmaster@"), std::string::npos);
  EXPECT_NE(hint_for(refused, Phase::auth, "smtp.gmail.com").find("app password"), std::string::npos);
  // A look-alike host is not the provider.
  EXPECT_EQ(hint_for(refused, Phase::auth, "sendgrid.net.example.com").find("apikey"), std::string::npos);
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

// The table in failure.h: the network may answer later, a certificate will not fix itself.
TEST(Failure, NetworkFaultsAreTransientAndTlsFaultsPermanent) {
  using smtpx::net::Fault;
  for (Fault fault :
       {Fault::unresolved, Fault::refused, Fault::unreachable, Fault::timeout, Fault::closed, Fault::lost})
    EXPECT_TRUE(fault_is_transient(fault)) << static_cast<int>(fault);
  for (Fault fault : {Fault::tls_setup, Fault::tls_refused, Fault::tls_untrusted})
    EXPECT_FALSE(fault_is_transient(fault)) << static_cast<int>(fault);
}

TEST(Failure, ANetworkErrorKeepsItsHintAndGetsThePhaseAndKind) {
  const smtpx::net::NetworkError error(smtpx::net::Fault::timeout, "no answer from h:587 within 10s",
                                       "try another port");
  const auto f = failure_from_network(error, Phase::rcpt);
  EXPECT_EQ(f.kind, ErrorKind::timeout);
  EXPECT_EQ(f.phase, Phase::rcpt);
  EXPECT_EQ(f.message, "no answer from h:587 within 10s: try another port");
  EXPECT_EQ(f.hint, "try another port");
  EXPECT_TRUE(f.transient);
  EXPECT_EQ(f.smtp_code, 0);
}

TEST(Failure, SmtpxsOwnRefusalIsPermanent) {
  const auto f = refusal(ErrorKind::tls, Phase::tls, "no STARTTLS", "use port 465");
  EXPECT_FALSE(f.transient);
  EXPECT_EQ(f.hint, "use port 465");
}

TEST(Failure, AnUnknownOutcomeIsNeverTransientAndSaysWhy) {
  auto f = failure_from_network(smtpx::net::NetworkError(smtpx::net::Fault::closed, "closed"), Phase::data);
  ASSERT_TRUE(f.transient);
  mark_outcome_unknown(f);
  EXPECT_TRUE(f.outcome_unknown);
  EXPECT_FALSE(f.transient);
  EXPECT_NE(f.hint.find("may have accepted it"), std::string::npos) << f.hint;
  EXPECT_FALSE(worth_a_fresh_connection(f));
}

TEST(Failure, OnlyAConnectionThatDiedBeforeAnyAnswerIsWorthAFreshOne) {
  const auto closed =
      failure_from_network(smtpx::net::NetworkError(smtpx::net::Fault::closed, "closed"), Phase::mail);
  EXPECT_TRUE(worth_a_fresh_connection(closed));
  EXPECT_TRUE(worth_a_fresh_connection(
      failure_from_reply(ErrorKind::protocol, Phase::mail, reply(421, "4.4.2", "4.4.2 idle"), "closing")));
  EXPECT_FALSE(worth_a_fresh_connection(
      failure_from_reply(ErrorKind::rejected, Phase::mail, reply(550, "5.7.1", "5.7.1 no"), "refused")));
  EXPECT_FALSE(worth_a_fresh_connection(failure_from_network(
      smtpx::net::NetworkError(smtpx::net::Fault::tls_untrusted, "untrusted"), Phase::tls)));
}

TEST(Failure, TheFallbackTakesOverOnlyBeforeTheMessageWentOut) {
  using smtpx::net::Fault;
  using smtpx::net::NetworkError;
  EXPECT_TRUE(may_fall_back(failure_from_network(NetworkError(Fault::refused, "refused"), Phase::connect)));
  EXPECT_TRUE(
      may_fall_back(failure_from_network(NetworkError(Fault::tls_untrusted, "untrusted"), Phase::tls)));
  EXPECT_TRUE(may_fall_back(
      failure_from_reply(ErrorKind::rejected, Phase::rcpt, reply(450, "4.2.0", "4.2.0 busy"), "refused")));
  EXPECT_FALSE(may_fall_back(failure_from_reply(ErrorKind::rejected, Phase::rcpt,
                                                reply(550, "5.1.1", "5.1.1 no such user"), "refused")));
  auto unknown = failure_from_network(NetworkError(Fault::closed, "closed"), Phase::data);
  mark_outcome_unknown(unknown);
  EXPECT_FALSE(may_fall_back(unknown));
}

TEST(Failure, HttpAnswersMapLikeReplies) {
  const auto auth = failure_from_http(401, "bad key", "sendgrid", "use an API key", 0);
  EXPECT_EQ(auth.kind, ErrorKind::auth);
  EXPECT_EQ(auth.phase, Phase::auth);
  EXPECT_FALSE(auth.transient);
  EXPECT_EQ(auth.hint, "use an API key");
  const auto throttled = failure_from_http(429, "slow down", "brevo", "", 7);
  EXPECT_TRUE(throttled.transient);
  EXPECT_EQ(throttled.retry_after, 7);
  EXPECT_TRUE(failure_from_http(503, "", "ses", "", 0).transient);
  EXPECT_FALSE(failure_from_http(422, "bad", "postmark", "", 0).transient);
  EXPECT_EQ(failure_from_http(302, "", "postmark", "", 0).kind, ErrorKind::protocol);
}
