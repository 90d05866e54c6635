// The port race against real listeners on 127.0.0.1: a port that accepts but
// never greets behaves like a firewall that drops packets (nothing comes back),
// a closed port like one that refuses.
#include "core/delivery/port_race.h"

#include <gtest/gtest.h>

#include "core/net/network_error.h"
#include "loopback_smtp.h"

namespace smtpx::delivery {
namespace {

using smtpx::testing::LoopbackSmtp;

double seconds_since(net::Clock::time_point start) {
  return std::chrono::duration<double>(net::Clock::now() - start).count();
}

PortChoice clear(uint16_t port) {
  return {port, smtp::TlsMode::none};
}

TEST(PortRace, FirstPortThatGreetsWinsAndHandsOverItsGreeting) {
  LoopbackSmtp server;
  RaceResult race = race_ports("127.0.0.1", {clear(server.port())}, 0.25, net::Deadline::in(5));
  ASSERT_TRUE(race.winner);
  EXPECT_EQ(race.winner->choice.port, server.port());
  EXPECT_EQ(race.winner->received, "220 loopback ESMTP\r\n");
  ASSERT_EQ(race.attempts.size(), 1u);
  EXPECT_EQ(race.attempts[0].fate, AttemptFate::won);
  EXPECT_EQ(race.attempts[0].ip, "127.0.0.1");
}

TEST(PortRace, ClosedPortIsSkippedAtOnceWithoutWaitingForTheStagger) {
  LoopbackSmtp server;
  const uint16_t closed = LoopbackSmtp::closed_port();
  const auto start = net::Clock::now();
  RaceResult race = race_ports("127.0.0.1", {clear(closed), clear(server.port())}, 2.0, net::Deadline::in(5));
  EXPECT_LT(seconds_since(start), 1.0);
  ASSERT_TRUE(race.winner);
  EXPECT_EQ(race.winner->choice.port, server.port());
  ASSERT_EQ(race.attempts.size(), 2u);
  EXPECT_EQ(race.attempts[0].fate, AttemptFate::refused);
  EXPECT_EQ(race.attempts[1].fate, AttemptFate::won);
}

TEST(PortRace, SilentPortLosesToTheNextOneAfterTheStagger) {
  LoopbackSmtp silent(LoopbackSmtp::Greeting::silent);
  LoopbackSmtp server;
  const auto start = net::Clock::now();
  RaceResult race =
      race_ports("127.0.0.1", {clear(silent.port()), clear(server.port())}, 0.3, net::Deadline::in(5));
  const double took = seconds_since(start);
  EXPECT_GE(took, 0.3);
  EXPECT_LT(took, 1.0);
  ASSERT_TRUE(race.winner);
  EXPECT_EQ(race.winner->choice.port, server.port());
  ASSERT_EQ(race.attempts.size(), 2u);
  EXPECT_EQ(race.attempts[0].fate, AttemptFate::lost);
  EXPECT_EQ(race.attempts[1].fate, AttemptFate::won);
}

TEST(PortRace, PortThatRefusesTheSessionMovesOnAtOnce) {
  LoopbackSmtp refusing(LoopbackSmtp::Greeting::refuse);
  LoopbackSmtp server;
  const auto start = net::Clock::now();
  RaceResult race =
      race_ports("127.0.0.1", {clear(refusing.port()), clear(server.port())}, 2.0, net::Deadline::in(5));
  EXPECT_LT(seconds_since(start), 1.0);
  ASSERT_TRUE(race.winner);
  EXPECT_EQ(race.attempts[0].fate, AttemptFate::greeting_refused);
  EXPECT_EQ(race.attempts[0].detail, "554 5.7.1 no service here");
}

TEST(PortRace, ImplicitTlsPortWinsOnceTcpConnectsSinceItsGreetingFollowsTheHandshake) {
  LoopbackSmtp silent(LoopbackSmtp::Greeting::silent);
  RaceResult race =
      race_ports("127.0.0.1", {{silent.port(), smtp::TlsMode::implicit}}, 0.25, net::Deadline::in(5));
  ASSERT_TRUE(race.winner);
  EXPECT_EQ(race.winner->choice.tls, smtp::TlsMode::implicit);
  EXPECT_EQ(race.winner->received, "");
  EXPECT_TRUE(race.winner->socket.valid());
}

TEST(PortRace, NothingAnsweringEndsAtTheDeadlineNamingEachFate) {
  LoopbackSmtp first(LoopbackSmtp::Greeting::silent);
  LoopbackSmtp second(LoopbackSmtp::Greeting::silent);
  const uint16_t closed = LoopbackSmtp::closed_port();
  const auto start = net::Clock::now();
  RaceResult race = race_ports("127.0.0.1", {clear(first.port()), clear(closed), clear(second.port())}, 0.1,
                               net::Deadline::in(0.6));
  const double took = seconds_since(start);
  EXPECT_GE(took, 0.6);
  EXPECT_LT(took, 1.2);
  EXPECT_FALSE(race.winner);
  ASSERT_EQ(race.attempts.size(), 3u);
  EXPECT_EQ(race.attempts[0].fate, AttemptFate::silent);
  EXPECT_EQ(race.attempts[1].fate, AttemptFate::refused);
  EXPECT_EQ(race.attempts[2].fate, AttemptFate::silent);
  const std::string text = describe_attempts(race.attempts);
  EXPECT_NE(
      text.find(std::to_string(first.port()) + " (127.0.0.1) silent: connected, but no greeting within"),
      std::string::npos)
      << text;
  EXPECT_NE(text.find(std::to_string(closed) + " (127.0.0.1) refused: connection refused"), std::string::npos)
      << text;
}

TEST(PortRace, LaterCandidatesDoNotStartWhenTheFirstGreetsWithinTheStagger) {
  LoopbackSmtp server;
  LoopbackSmtp second;
  RaceResult race =
      race_ports("127.0.0.1", {clear(server.port()), clear(second.port())}, 1.0, net::Deadline::in(5));
  ASSERT_TRUE(race.winner);
  EXPECT_EQ(race.attempts.size(), 1u);
  EXPECT_EQ(second.connections(), 0);
}

TEST(PortRace, UnresolvableHostThrowsAConnectError) {
  try {
    race_ports("no-such-host.invalid", {clear(587)}, 0.25, net::Deadline::in(5));
    FAIL() << "expected NetworkError";
  } catch (const net::NetworkError& error) {
    EXPECT_EQ(error.fault(), net::Fault::unresolved);
  }
}

}  // namespace
}  // namespace smtpx::delivery
