// The TLS handshake against an in-process server with a throwaway CA: what is
// verified, what is refused, and what the refusal tells the user.
#include "core/net/tls.h"

#include <gtest/gtest.h>
#include <openssl/err.h>

#include <regex>

#include "core/error.h"
#include "core/net/network_error.h"
#include "core/smtp/failure.h"
#include "net_test_peer.h"

namespace smtpx::net {
namespace {

using test::accept_tls;
using test::Peer;
using test::Pki;

// A server that completes its side of the handshake (when the client lets it)
// and then waits for the client to leave.
void serve_tls(int fd) {
  if (auto ssl = accept_tls(fd)) test::drain_until_closed(fd);
}

TlsSettings trusting_test_ca(const std::string& server_name) {
  TlsSettings settings;
  settings.cafile = Pki::get().ca;
  settings.server_name = server_name;
  return settings;
}

std::unique_ptr<TlsChannel> handshake_with(const Peer& peer, Socket& socket, const TlsSettings& settings,
                                           double seconds = 5) {
  socket = Socket::connect("127.0.0.1", peer.port(), Deadline::in(5));
  return TlsChannel::handshake(socket, settings, Deadline::in(seconds));
}

SmtpFailure handshake_failure(const TlsSettings& settings, const std::function<void(int)>& serve = serve_tls,
                              double seconds = 5) {
  Peer peer(serve);
  Socket socket;
  try {
    handshake_with(peer, socket, settings, seconds);
  } catch (const NetworkError& error) {
    EXPECT_EQ(ERR_peek_error(), 0u) << "an OpenSSL error was left on the queue";
    return smtp::failure_from_network(error, Phase::tls);
  }
  ADD_FAILURE() << "the handshake succeeded";
  return {};
}

TEST(Tls, ANameOpenSslCannotCheckEndsTheHandshake) {
  const SmtpFailure failure = handshake_failure(trusting_test_ca(std::string(300, 'a') + ".example"));
  EXPECT_EQ(failure.kind, ErrorKind::tls);
  EXPECT_NE(failure.message.find("cannot check the certificate against the name"), std::string::npos)
      << failure.message;
}

TEST(Tls, VerifiesTheChainAndTheHostName) {
  Peer peer(serve_tls);
  Socket socket;
  const auto channel = handshake_with(peer, socket, trusting_test_ca("localhost"));
  const TlsInfo& info = channel->info();
  EXPECT_TRUE(info.verified);
  EXPECT_EQ(info.verify_error, "");
  EXPECT_TRUE(info.version == "TLSv1.3" || info.version == "TLSv1.2") << info.version;
  EXPECT_FALSE(info.cipher.empty());
  EXPECT_EQ(info.subject, "CN = localhost");
  EXPECT_EQ(info.issuer, "CN = smtpx test CA");
  EXPECT_TRUE(std::regex_match(info.not_after, std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)")))
      << info.not_after;
  EXPECT_EQ(ERR_peek_error(), 0u);
}

TEST(Tls, SendsTheHostNameAsSni) {
  std::string sni;
  {
    Peer peer([&sni](int fd) {
      if (auto ssl = accept_tls(fd, {0, &sni})) test::drain_until_closed(fd);
    });
    Socket socket;
    handshake_with(peer, socket, trusting_test_ca("localhost"));
  }
  EXPECT_EQ(sni, "localhost");
}

TEST(Tls, VerifiesAnIpLiteralAgainstTheAddressAndSendsNoSni) {
  std::string sni = "unset";
  {
    Peer peer([&sni](int fd) {
      if (auto ssl = accept_tls(fd, {0, &sni})) test::drain_until_closed(fd);
    });
    Socket socket;
    const auto channel = handshake_with(peer, socket, trusting_test_ca("127.0.0.1"));
    EXPECT_TRUE(channel->info().verified);
  }
  EXPECT_EQ(sni, "");  // RFC 6066 3: no addresses in SNI
}

TEST(Tls, ReportsTls12WhenTheServerStopsThere) {
  Peer peer([](int fd) {
    if (auto ssl = accept_tls(fd, {TLS1_2_VERSION, nullptr})) test::drain_until_closed(fd);
  });
  Socket socket;
  const auto channel = handshake_with(peer, socket, trusting_test_ca("localhost"));
  EXPECT_EQ(channel->info().version, "TLSv1.2");
  EXPECT_TRUE(channel->info().verified);
}

TEST(Tls, RefusesTls11) {
  const SmtpFailure failure = handshake_failure(trusting_test_ca("localhost"), [](int fd) {
    test::accept_tls(fd, {TLS1_1_VERSION, nullptr});
  });
  EXPECT_EQ(failure.kind, ErrorKind::tls);
  EXPECT_EQ(failure.phase, Phase::tls);
  EXPECT_NE(failure.message.find("older ones are not safe"), std::string::npos) << failure.message;
}

TEST(Tls, RefusesACertificateForOtherNames) {
  const SmtpFailure failure = handshake_failure(trusting_test_ca("mail.example.org"));
  EXPECT_EQ(failure.kind, ErrorKind::tls);
  EXPECT_EQ(failure.phase, Phase::tls);
  EXPECT_EQ(failure.hint, "check the host name, or connect with one of those names");
  EXPECT_FALSE(failure.transient);
  EXPECT_EQ(failure.message,
            "the certificate of mail.example.org is for other names (localhost, 127.0.0.1): check the host "
            "name, or connect with one of those names");
}

TEST(Tls, RefusesAnotherAddressThanTheCertificates) {
  const SmtpFailure failure = handshake_failure(trusting_test_ca("127.0.0.2"));
  EXPECT_EQ(
      failure.message.rfind("the certificate of 127.0.0.2 is for other names (localhost, 127.0.0.1)", 0), 0u)
      << failure.message;
}

TEST(Tls, RefusesAServerWhoseCaIsNotTrusted) {
  TlsSettings settings = trusting_test_ca("localhost");
  settings.cafile = Pki::get().other_ca;
  const SmtpFailure failure = handshake_failure(settings);
  EXPECT_EQ(failure.kind, ErrorKind::tls);
  EXPECT_EQ(failure.message,
            "unable to get local issuer certificate: the CA of localhost's certificate is not trusted: set "
            "cafile to its CA, or tls_verify => false only for testing");
}

TEST(Tls, TheSystemStoreDoesNotTrustATestCa) {
  TlsSettings settings = trusting_test_ca("localhost");
  settings.cafile.clear();
  const SmtpFailure failure = handshake_failure(settings);
  EXPECT_NE(failure.message.find("set cafile to its CA"), std::string::npos) << failure.message;
}

TEST(Tls, WithoutVerificationConnectsAndTellsWhatVerificationFound) {
  TlsSettings settings = trusting_test_ca("mail.example.org");
  settings.verify = false;
  Peer peer(serve_tls);
  Socket socket;
  const auto channel = handshake_with(peer, socket, settings);
  EXPECT_FALSE(channel->info().verified);
  EXPECT_EQ(channel->info().verify_error, "hostname mismatch");
  EXPECT_EQ(channel->info().subject, "CN = localhost");
}

TEST(Tls, AMissingCaFileIsNamed) {
  TlsSettings settings = trusting_test_ca("localhost");
  settings.cafile = "/nonexistent/ca.pem";
  const SmtpFailure failure = handshake_failure(settings, [](int) {});
  EXPECT_EQ(failure.kind, ErrorKind::tls);
  EXPECT_EQ(failure.message.rfind("cannot load the CA file /nonexistent/ca.pem (", 0), 0u) << failure.message;
  EXPECT_NE(failure.message.find("check the path"), std::string::npos);
}

TEST(Tls, APlainTextServerIsToldApart) {
  const SmtpFailure failure = handshake_failure(trusting_test_ca("localhost"), [](int fd) {
    const std::string greeting = "220 mail.example.org ESMTP\r\n";
    send(fd, greeting.data(), greeting.size(), MSG_NOSIGNAL);
    test::drain_until_closed(fd);
  });
  EXPECT_EQ(failure.kind, ErrorKind::tls);
  EXPECT_EQ(failure.message,
            "localhost did not answer in TLS: use implicit TLS on 465 and STARTTLS on 587 and 25");
}

TEST(Tls, AServerThatHangsUpIsReported) {
  const SmtpFailure failure = handshake_failure(trusting_test_ca("localhost"), [](int fd) {
    char hello[512];
    recv(fd, hello, sizeof hello, 0);
  });
  EXPECT_EQ(failure.kind, ErrorKind::connect);
  EXPECT_TRUE(failure.transient);  // a cut connection may not be cut the next time
  EXPECT_EQ(failure.message.rfind("the connection to localhost was lost during the TLS handshake", 0), 0u)
      << failure.message;
}

TEST(Tls, ASilentServerTimesOutAtTheDeadline) {
  const auto start = Clock::now();
  const SmtpFailure failure = handshake_failure(trusting_test_ca("localhost"), test::drain_until_closed, 0.3);
  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  EXPECT_GE(elapsed, 0.29);
  EXPECT_LT(elapsed, 2.0);
  EXPECT_EQ(failure.kind, ErrorKind::timeout);
  EXPECT_EQ(failure.phase, Phase::tls);
  EXPECT_TRUE(failure.transient);
}

}  // namespace
}  // namespace smtpx::net
