// The probe against loopback servers: what it measures on each port, and which it recommends.
#include "core/delivery/probe.h"

#include <gtest/gtest.h>

#include "loopback_smtp.h"

namespace smtpx::delivery {
namespace {

using smtpx::testing::LoopbackSmtp;

Transport plan_of(std::vector<uint16_t> ports) {
  Transport transport;
  transport.host = "127.0.0.1";
  transport.tls_required = false;
  transport.helo = "client.example.com";
  transport.connect_timeout = 1;
  transport.timeout = 1;
  for (uint16_t port : ports) transport.ports.push_back({port, smtp::TlsMode::none});
  return transport;
}

TEST(Probe, ReportsGreetingExtensionsAndAuthOfAWorkingPort) {
  LoopbackSmtp server;
  Transport transport = plan_of({server.port()});
  transport.credentials.username = "alice";
  transport.credentials.password = "secret";
  const ProbeReport report = probe(transport);
  ASSERT_EQ(report.ports.size(), 1u);
  const PortProbe& port = report.ports[0];
  EXPECT_TRUE(port.connected);
  EXPECT_EQ(port.ip, "127.0.0.1");
  EXPECT_EQ(port.greeting, "220 loopback ESMTP");
  EXPECT_EQ(port.extensions, (std::vector<std::string>{"8BITMIME", "AUTH PLAIN"}));
  EXPECT_EQ(port.auth, std::vector<std::string>{"PLAIN"});
  EXPECT_EQ(port.auth_succeeded, std::optional<bool>(true));
  EXPECT_TRUE(port.usable);
  EXPECT_FALSE(port.tls);
  ASSERT_TRUE(report.recommended);
  EXPECT_EQ(report.recommended->port, server.port());
}

TEST(Probe, RecommendsTheFirstPortOfThePlanWhereEveryStepPassed) {
  LoopbackSmtp refusing(LoopbackSmtp::Greeting::refuse);
  LoopbackSmtp server;
  const uint16_t closed = LoopbackSmtp::closed_port();
  const ProbeReport report = probe(plan_of({closed, refusing.port(), server.port()}));
  ASSERT_EQ(report.ports.size(), 3u);
  EXPECT_FALSE(report.ports[0].connected);
  EXPECT_EQ(report.ports[0].failed_phase, "connect");
  EXPECT_TRUE(report.ports[1].connected);
  EXPECT_EQ(report.ports[1].failed_phase, "greeting");
  EXPECT_EQ(report.ports[1].greeting, "554 5.7.1 no service here");
  EXPECT_TRUE(report.ports[2].usable);
  ASSERT_TRUE(report.recommended);
  EXPECT_EQ(report.recommended->port, server.port());
}

TEST(Probe, SilentPortsCostOneTimeoutNotOneEach) {
  LoopbackSmtp first(LoopbackSmtp::Greeting::silent);
  LoopbackSmtp second(LoopbackSmtp::Greeting::silent);
  const auto start = net::Clock::now();
  const ProbeReport report = probe(plan_of({first.port(), second.port()}));
  EXPECT_LT(std::chrono::duration<double>(net::Clock::now() - start).count(), 1.8);
  EXPECT_FALSE(report.recommended);
  EXPECT_EQ(report.ports[0].failed_phase, "greeting");
  EXPECT_EQ(report.ports[1].failed_phase, "greeting");
}

}  // namespace
}  // namespace smtpx::delivery
