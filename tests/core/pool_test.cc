// The pool's bookkeeping (keys, limits, expiry, fork) on sessions to a loopback
// server, and the mailer on top of it: how many connections a run of sends opens.
#include "core/delivery/pool.h"

#include <gtest/gtest.h>
#include <openssl/rand.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "core/delivery/mailer.h"
#include "core/delivery/port_memory.h"
#include "core/delivery/port_tallies.h"
#include "loopback_smtp.h"

namespace smtpx::delivery {
namespace {

using smtpx::testing::LoopbackSmtp;
using std::chrono::seconds;

smtp::SessionSettings settings_for(uint16_t port, const std::string& user = "",
                                   const std::string& password = "") {
  smtp::SessionSettings settings;
  settings.host = "127.0.0.1";
  settings.port = port;
  settings.tls = smtp::TlsMode::none;
  settings.helo = "client.example.com";
  settings.credentials.username = user;
  settings.credentials.password = password;
  return settings;
}

std::unique_ptr<smtp::Session> open_session(const smtp::SessionSettings& settings) {
  auto session = std::make_unique<smtp::Session>(settings);
  session->open(net::Deadline::in(5));
  return session;
}

// Waits (bounded) until the server has seen `count` QUITs.
bool quits_reach(const LoopbackSmtp& server, int count) {
  for (int i = 0; i < 100 && server.quits() < count; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  return server.quits() == count;
}

TEST(PoolKey, SameSettingsMakeTheSameKey) {
  EXPECT_EQ(PoolKey::of(settings_for(587, "alice", "secret")),
            PoolKey::of(settings_for(587, "alice", "secret")));
}

TEST(PoolKey, EveryFieldThatMustNotBeSharedMakesADifferentKey) {
  const PoolKey base = PoolKey::of(settings_for(587, "alice", "secret"));
  EXPECT_FALSE(base == PoolKey::of(settings_for(2525, "alice", "secret")));
  EXPECT_FALSE(base == PoolKey::of(settings_for(587, "bob", "secret")));
  EXPECT_FALSE(base == PoolKey::of(settings_for(587, "alice", "other")));
  smtp::SessionSettings unverified = settings_for(587, "alice", "secret");
  unverified.tls_settings.verify = false;
  EXPECT_FALSE(base == PoolKey::of(unverified));
  smtp::SessionSettings implicit = settings_for(587, "alice", "secret");
  implicit.tls = smtp::TlsMode::implicit;
  EXPECT_FALSE(base == PoolKey::of(implicit));
  smtp::SessionSettings debugging = settings_for(587, "alice", "secret");
  debugging.debug = true;  // its transcript: a session without one cannot give it
  EXPECT_FALSE(base == PoolKey::of(debugging));
  smtp::SessionSettings token = settings_for(587, "alice", "");
  token.credentials.oauth_token = "secret";
  EXPECT_FALSE(base == PoolKey::of(token));
}

TEST(PoolKey, HoldsADigestOfTheSecretNeverTheSecret) {
  const PoolKey key = PoolKey::of(settings_for(587, "alice", "wonderland-42"));
  EXPECT_EQ(key.credential_digest.size(), 64u);  // SHA-256, hex
  EXPECT_EQ(key.credential_digest.find("wonderland"), std::string::npos);
  EXPECT_EQ(PoolKey::of(settings_for(587)).credential_digest, "");
}

TEST(Pool, KeptSessionComesBackForTheSameKeyOnly) {
  LoopbackSmtp server;
  Pool pool;
  pool.put(open_session(settings_for(server.port())), PoolLimits{});
  EXPECT_EQ(pool.take(PoolKey::of(settings_for(server.port(), "bob", "x"))), nullptr);
  std::unique_ptr<smtp::Session> session = pool.take(PoolKey::of(settings_for(server.port())));
  ASSERT_NE(session, nullptr);
  EXPECT_TRUE(session->reusable());
  EXPECT_EQ(pool.take(PoolKey::of(settings_for(server.port()))), nullptr);
  EXPECT_EQ(pool.stats().reused, 1u);
  EXPECT_EQ(server.connections(), 1);
}

TEST(Pool, IdleSessionIsDroppedWithQuitAfterTheIdleLimit) {
  LoopbackSmtp server;
  Pool pool;
  const auto now = net::Clock::now();
  pool.put(open_session(settings_for(server.port())), PoolLimits{}, now);
  EXPECT_EQ(pool.take(PoolKey::of(settings_for(server.port())), now + seconds(31)), nullptr);
  const PoolStats stats = pool.stats();
  EXPECT_EQ(stats.dropped.at(DropReason::idle), 1u);
  EXPECT_EQ(stats.idle, 0u);
  EXPECT_TRUE(quits_reach(server, 1));
}

TEST(Pool, SessionOlderThanTheMaximumAgeIsDropped) {
  LoopbackSmtp server;
  Pool pool;
  PoolLimits limits;
  limits.max_age = 60;
  const auto now = net::Clock::now();
  pool.put(open_session(settings_for(server.port())), limits, now + seconds(50));
  EXPECT_EQ(pool.take(PoolKey::of(settings_for(server.port())), now + seconds(61)), nullptr);
  EXPECT_EQ(pool.stats().dropped.at(DropReason::age), 1u);
}

TEST(Pool, SessionThatCarriedTheMaximumOfMessagesIsNotKept) {
  LoopbackSmtp server;
  Pool pool;
  PoolLimits limits;
  limits.max_messages = 3;
  std::unique_ptr<smtp::Session> session = open_session(settings_for(server.port()));
  for (int i = 0; i < 3; ++i) {
    session->begin_transaction();
    session->end_transaction();
  }
  pool.put(std::move(session), limits);
  EXPECT_EQ(pool.stats().idle, 0u);
  EXPECT_EQ(pool.stats().dropped.at(DropReason::messages), 1u);
  EXPECT_TRUE(quits_reach(server, 1));
}

TEST(Pool, KeepsAtMostPerKeySessionsForOneKey) {
  LoopbackSmtp server;
  Pool pool;
  PoolLimits limits;
  limits.per_key = 2;
  for (int i = 0; i < 3; ++i) pool.put(open_session(settings_for(server.port())), limits);
  pool.put(open_session(settings_for(server.port(), "bob", "x")), limits);
  const PoolStats stats = pool.stats();
  EXPECT_EQ(stats.idle, 3u);
  EXPECT_EQ(stats.dropped.at(DropReason::surplus), 1u);
}

TEST(Pool, SessionTheServerClosedWhileIdleIsDroppedWithoutARoundTrip) {
  LoopbackSmtp server;
  Pool pool;
  pool.put(open_session(settings_for(server.port())), PoolLimits{});
  server.drop_clients();
  std::this_thread::sleep_for(std::chrono::milliseconds(150));
  EXPECT_EQ(pool.take(PoolKey::of(settings_for(server.port()))), nullptr);
  EXPECT_EQ(pool.stats().dropped.at(DropReason::dead), 1u);
}

TEST(Pool, SessionThatGotAnUnasked421IsDroppedEvenThoughStillConnected) {
  LoopbackSmtp server;
  Pool pool;
  pool.put(open_session(settings_for(server.port())), PoolLimits{});
  server.announce_idle_timeout();
  std::this_thread::sleep_for(std::chrono::milliseconds(150));
  EXPECT_EQ(pool.take(PoolKey::of(settings_for(server.port()))), nullptr);
  EXPECT_EQ(pool.stats().dropped.at(DropReason::dead), 1u);
}

TEST(Pool, ClosedSessionIsCountedAsFailedAndNotKept) {
  LoopbackSmtp server;
  Pool pool;
  std::unique_ptr<smtp::Session> session = open_session(settings_for(server.port()));
  session->abandon();
  pool.put(std::move(session), PoolLimits{});
  EXPECT_EQ(pool.stats().idle, 0u);
  EXPECT_EQ(pool.stats().dropped.at(DropReason::failed), 1u);
}

TEST(Pool, CloseSaysQuitToEveryKeptSession) {
  LoopbackSmtp server;
  Pool pool;
  pool.put(open_session(settings_for(server.port())), PoolLimits{});
  pool.put(open_session(settings_for(server.port(), "bob", "x")), PoolLimits{});
  pool.close();
  EXPECT_TRUE(quits_reach(server, 2));
  EXPECT_EQ(pool.stats().dropped.at(DropReason::closed), 2u);
}

TEST(Pool, ForkedChildNeverUsesNorClosesTheParentsSessions) {
  LoopbackSmtp server;
  Pool pool;
  pool.put(open_session(settings_for(server.port())), PoolLimits{});
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    const bool none = pool.take(PoolKey::of(settings_for(server.port()))) == nullptr;
    pool.close();
    const PoolStats stats = pool.stats();
    _exit(none && stats.idle == 0 && stats.dropped.at(DropReason::fork) == 1 ? 0 : 1);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  EXPECT_EQ(server.quits(), 0);
  std::unique_ptr<smtp::Session> session = pool.take(PoolKey::of(settings_for(server.port())));
  ASSERT_NE(session, nullptr);
  EXPECT_TRUE(session->reusable());
}

// The mailer on top of the pool, as smtpx_send() uses it.
Transport transport_for(uint16_t port, const std::string& user = "", const std::string& password = "") {
  Transport transport;
  transport.host = "127.0.0.1";
  transport.ports = {{port, smtp::TlsMode::none}};
  transport.tls_required = false;
  transport.helo = "client.example.com";
  transport.credentials.username = user;
  transport.credentials.password = password;
  return transport;
}

const RawMessage mail{"sender@example.com", {"rcpt@example.com"}, "Subject: hi\r\n\r\nhello\r\n"};

TEST(PooledMailer, SendsOfOneProcessShareOneConnection) {
  LoopbackSmtp server;
  Pool pool;
  const uint64_t wins_before = PortTallies::process().snapshot()[server.port()].wins;
  for (int i = 0; i < 5; ++i) {
    const SendResult result = Mailer(transport_for(server.port()), &pool).send_raw(mail);
    EXPECT_EQ(result.reused, i > 0);
    EXPECT_EQ(result.attempts.size(), i == 0 ? 1u : 0u);
  }
  EXPECT_EQ(server.connections(), 1);
  EXPECT_EQ(server.messages(), 5);
  const PoolStats stats = pool.stats();
  EXPECT_EQ(stats.opened, 1u);
  EXPECT_EQ(stats.reused, 4u);
  EXPECT_EQ(PortTallies::process().snapshot().at(server.port()).wins, wins_before + 1);
}

TEST(PooledMailer, NotPersistentOpensAndClosesAConnectionPerSend) {
  LoopbackSmtp server;
  Pool pool;
  Transport transport = transport_for(server.port());
  transport.persistent = false;
  for (int i = 0; i < 3; ++i) Mailer(transport, &pool).send_raw(mail);
  EXPECT_EQ(server.connections(), 3);
  EXPECT_TRUE(quits_reach(server, 3));
  EXPECT_EQ(pool.stats().idle, 0u);
}

TEST(PooledMailer, TwoUsersOnTheSameHostGetTwoConnections) {
  LoopbackSmtp server;
  Pool pool;
  Mailer(transport_for(server.port(), "alice", "a-secret"), &pool).send_raw(mail);
  Mailer(transport_for(server.port(), "bob", "b-secret"), &pool).send_raw(mail);
  Mailer(transport_for(server.port(), "alice", "a-secret"), &pool).send_raw(mail);
  EXPECT_EQ(server.connections(), 2);
}

TEST(PooledMailer, ConnectionClosedByTheServerWhileIdleIsReplacedWithoutAnError) {
  LoopbackSmtp server;
  Pool pool;
  Mailer(transport_for(server.port()), &pool).send_raw(mail);
  server.drop_clients();
  std::this_thread::sleep_for(std::chrono::milliseconds(150));
  const SendResult result = Mailer(transport_for(server.port()), &pool).send_raw(mail);
  EXPECT_FALSE(result.reused);
  EXPECT_EQ(server.connections(), 2);
  EXPECT_EQ(server.messages(), 2);
}

TEST(PooledMailer, KeptConnectionDyingBeforeAnyReplyIsRetriedOnceOnAFreshOne) {
  LoopbackSmtp server;
  Pool pool;
  Mailer(transport_for(server.port()), &pool).send_raw(mail);
  server.hang_up_at_next_mail();
  const SendResult result = Mailer(transport_for(server.port()), &pool).send_raw(mail);
  EXPECT_FALSE(result.reused);
  EXPECT_EQ(server.connections(), 2);
  EXPECT_EQ(server.messages(), 2);
  EXPECT_EQ(pool.stats().dropped.at(DropReason::dead), 1u);
}

TEST(PooledMailer, ConnectionDyingAfterTheEndOfDataIsAnUnknownOutcomeAndNotRetried) {
  LoopbackSmtp server;
  Pool pool;
  Mailer(transport_for(server.port()), &pool).send_raw(mail);
  server.hang_up_at_next_end_of_data();
  try {
    Mailer(transport_for(server.port()), &pool).send_raw(mail);
    FAIL() << "expected SmtpError";
  } catch (const SmtpError& error) {
    EXPECT_TRUE(error.failure().outcome_unknown);
  }
  EXPECT_EQ(server.connections(), 1);
  EXPECT_EQ(pool.stats().idle, 0u);
  EXPECT_EQ(pool.stats().dropped.at(DropReason::failed), 1u);
}

TEST(PooledMailer, MessageLimitOpensAFreshConnection) {
  LoopbackSmtp server;
  Pool pool;
  Transport transport = transport_for(server.port());
  transport.pool.max_messages = 2;
  for (int i = 0; i < 5; ++i) Mailer(transport, &pool).send_raw(mail);
  EXPECT_EQ(server.connections(), 3);
  EXPECT_EQ(pool.stats().dropped.at(DropReason::messages), 2u);
}

TEST(PooledMailer, SilentFirstPortLosesAndTheWinnerIsRememberedForTheNextSend) {
  LoopbackSmtp silent(LoopbackSmtp::Greeting::silent);
  LoopbackSmtp server;
  Transport transport = transport_for(silent.port());
  transport.ports.push_back({server.port(), smtp::TlsMode::none});
  transport.stagger = 0.3;
  transport.persistent = false;
  const SendResult first = Mailer(transport, nullptr).send_raw(mail);
  EXPECT_EQ(first.port, server.port());
  ASSERT_EQ(first.attempts.size(), 2u);
  EXPECT_EQ(first.attempts[0].fate, AttemptFate::lost);
  EXPECT_EQ(first.attempts[1].fate, AttemptFate::won);
  const SendResult second = Mailer(transport, nullptr).send_raw(mail);
  ASSERT_EQ(second.attempts.size(), 1u);
  EXPECT_EQ(second.attempts[0].choice.port, server.port());
  EXPECT_LT(second.seconds, 0.3);
  PortMemory::process().forget("127.0.0.1");
}

TEST(PooledMailer, NoPortAnsweringIsAConnectErrorNamingEachPortsFate) {
  LoopbackSmtp silent(LoopbackSmtp::Greeting::silent);
  const uint16_t closed = LoopbackSmtp::closed_port();
  Transport transport = transport_for(silent.port());
  transport.ports.push_back({closed, smtp::TlsMode::none});
  transport.connect_timeout = 0.5;
  try {
    Mailer(transport, nullptr).send_raw(mail);
    FAIL() << "expected SmtpError";
  } catch (const SmtpError& error) {
    EXPECT_EQ(error.failure().kind, ErrorKind::connect);
    const std::string message = error.what();
    EXPECT_NE(message.find(std::to_string(silent.port()) + " (127.0.0.1) silent"), std::string::npos)
        << message;
    EXPECT_NE(message.find(std::to_string(closed) + " (127.0.0.1) refused"), std::string::npos) << message;
  }
}

// A random generator that always fails, as OpenSSL's would without entropy.
int failing_bytes(unsigned char*, int) {
  return 0;
}
int failing_status() {
  return 0;
}

// Makes a pool key while every random draw fails; exits 7 when that throws.
[[noreturn]] void draw_a_key_without_randomness() {
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
  static RAND_METHOD failing{nullptr, failing_bytes, nullptr, nullptr, failing_bytes, failing_status};
  RAND_set_rand_method(&failing);
#pragma GCC diagnostic pop
  smtp::SessionSettings settings;
  settings.host = "127.0.0.1";
  settings.credentials = {"alice", "secret", "", {}};
  try {
    PoolKey::of(settings);
  } catch (const std::runtime_error&) {
    std::_Exit(7);
  }
  std::_Exit(0);
}

// Issue 10: a failed RAND_bytes once fell back to a fixed key, so pool keys were
// predictable digests of the passwords. Now no key is made at all: the send
// fails (and the next one tries again). In a child process of its own, where no
// key has been drawn yet.
TEST(PoolDeathTest, NoKeyWhenTheRandomGeneratorFails) {
  ::testing::FLAGS_gtest_death_test_style = "threadsafe";
  EXPECT_EXIT(draw_a_key_without_randomness(), ::testing::ExitedWithCode(7), "");
}

}  // namespace
}  // namespace smtpx::delivery
