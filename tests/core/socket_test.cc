// Resolving and connecting: what a caller gets back, how fast it fails, and
// what the failure tells the user. Loopback only.
#include "core/net/socket.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/tcp.h>

#include <cerrno>
#include <climits>
#include <limits>

#include "core/error.h"
#include "core/net/network_error.h"
#include "core/smtp/failure.h"
#include "net_test_peer.h"

namespace smtpx::net {
namespace {

using test::Peer;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// What the session makes of a failed connect (smtp/failure.h).
SmtpFailure connect_failure(const std::string& host, uint16_t port, double seconds) {
  try {
    Socket::connect(host, port, Deadline::in(seconds));
  } catch (const NetworkError& error) {
    return smtp::failure_from_network(error, Phase::connect);
  }
  ADD_FAILURE() << "connected to " << host << ":" << port;
  return {};
}

TEST(Deadline, PollMsIsZeroOncePassed) {
  EXPECT_EQ(Deadline::in(-1).poll_ms(), 0);
  EXPECT_TRUE(Deadline::in(-1).passed());
}

TEST(Deadline, PollMsIsWhatIsLeft) {
  const int ms = Deadline::in(1.5).poll_ms();
  EXPECT_GT(ms, 1000);  // loose: a loaded machine may pause between the two calls
  EXPECT_LE(ms, 1500);
}

TEST(Deadline, PollMsStopsAtIntMax) {
  EXPECT_EQ(Deadline::in(1e9).poll_ms(), INT_MAX);
}

TEST(Deadline, HugeAndInfiniteTimeoutsCountAsAYearWithoutOverflow) {
  const auto year = std::chrono::hours(24 * 365);
  for (const double seconds : {1e300, std::numeric_limits<double>::infinity(), 9.3e9}) {
    const Deadline deadline = Deadline::in(seconds);
    EXPECT_GT(deadline.at, Clock::now() + year - std::chrono::hours(1)) << seconds;
    EXPECT_LE(deadline.at, Clock::now() + year) << seconds;
    EXPECT_EQ(deadline.poll_ms(), INT_MAX) << seconds;
  }
  EXPECT_TRUE(Deadline::in(std::numeric_limits<double>::quiet_NaN()).passed());
}

TEST(Deadline, EarliestWins) {
  const Deadline soon = Deadline::in(1), late = Deadline::in(100);
  EXPECT_EQ(late.earliest(soon).at, soon.at);
  EXPECT_EQ(soon.earliest(late).at, soon.at);
}

TEST(Resolve, NumericIpv4GivesOneEndpoint) {
  const auto endpoints = resolve("127.0.0.1", 587, Deadline::in(5));
  ASSERT_EQ(endpoints.size(), 1u);
  EXPECT_EQ(endpoints[0].family, AF_INET);
  EXPECT_EQ(endpoints[0].ip, "127.0.0.1");
  EXPECT_EQ(endpoints[0].sockaddr_bytes.size(), sizeof(sockaddr_in));
}

TEST(Resolve, NumericIpv6GivesOneEndpoint) {
  const auto endpoints = resolve("::1", 587, Deadline::in(5));
  ASSERT_EQ(endpoints.size(), 1u);
  EXPECT_EQ(endpoints[0].family, AF_INET6);
  EXPECT_EQ(endpoints[0].ip, "::1");
}

TEST(Resolve, LocalhostResolvesToLoopback) {
  const auto endpoints = resolve("localhost", 25, Deadline::in(5));
  ASSERT_FALSE(endpoints.empty());
  for (const Endpoint& endpoint : endpoints) EXPECT_TRUE(endpoint.ip == "127.0.0.1" || endpoint.ip == "::1");
}

TEST(Resolve, UnknownNameSaysWhatToCheck) {
  try {
    resolve("nonexistent.invalid", 587, Deadline::in(5));
    FAIL() << "resolved";
  } catch (const NetworkError& error) {
    EXPECT_EQ(error.fault(), Fault::unresolved);
    const std::string message = error.what();
    EXPECT_EQ(message.rfind("cannot resolve nonexistent.invalid (", 0), 0u) << message;
    EXPECT_EQ(error.hint(), "check the host name");
    EXPECT_TRUE(smtp::failure_from_network(error, Phase::connect).transient);
  }
}

TEST(Socket, ConnectsNonBlockingCloseOnExecWithNoDelay) {
  Peer peer(test::drain_until_closed);
  const Socket socket = Socket::connect("127.0.0.1", peer.port(), Deadline::in(5));
  ASSERT_TRUE(socket.valid());
  EXPECT_EQ(socket.connect_result(), 0);
  EXPECT_TRUE(fcntl(socket.fd(), F_GETFL) & O_NONBLOCK);
  EXPECT_TRUE(fcntl(socket.fd(), F_GETFD) & FD_CLOEXEC);
  int no_delay = 0;
  socklen_t length = sizeof no_delay;
  getsockopt(socket.fd(), IPPROTO_TCP, TCP_NODELAY, &no_delay, &length);
  EXPECT_NE(no_delay, 0);
  EXPECT_TRUE(socket.peer_is_loopback());
  EXPECT_EQ(socket.peer_ip(), "127.0.0.1");
}

TEST(Socket, ConnectsByName) {
  Peer peer(test::drain_until_closed);
  const Socket socket = Socket::connect("localhost", peer.port(), Deadline::in(5));
  EXPECT_EQ(socket.peer_ip(), "127.0.0.1");
}

TEST(Socket, Ipv4MappedLoopbackPeerIsLoopback) {
  Peer peer(test::drain_until_closed);
  const Socket socket = Socket::connect("::ffff:127.0.0.1", peer.port(), Deadline::in(5));
  EXPECT_EQ(socket.peer_ip(), "::ffff:127.0.0.1");
  EXPECT_TRUE(socket.peer_is_loopback());
}

TEST(Socket, RefusedPortFailsAtOnceAndSuggestsOtherPorts) {
  uint16_t port = 0;
  const int reserved = test::bound_loopback_socket(port);  // bound, never listening: refuses
  const auto start = Clock::now();
  const SmtpFailure failure = connect_failure("127.0.0.1", port, 10);
  EXPECT_LT(seconds_since(start), 1.0);
  EXPECT_EQ(failure.kind, ErrorKind::connect);
  EXPECT_EQ(failure.phase, Phase::connect);
  EXPECT_EQ(failure.message, "connection refused on 127.0.0.1:" + std::to_string(port) +
                                 ": nothing listens there; check the port or try 587/465");
  EXPECT_EQ(failure.hint, "nothing listens there; check the port or try 587/465");
  EXPECT_TRUE(failure.transient);
  ::close(reserved);
}

TEST(Socket, RefusalNamesTheAddressTriedForAName) {
  uint16_t port = 0;
  const int reserved = test::bound_loopback_socket(port);
  const SmtpFailure failure = connect_failure("localhost", port, 10);
  EXPECT_EQ(
      failure.message.rfind("connection refused on localhost:" + std::to_string(port) + " (127.0.0.1)", 0),
      0u)
      << failure.message;
  ::close(reserved);
}

TEST(Socket, RefusedIpv6LiteralIsWrittenInBrackets) {
  const SmtpFailure failure = connect_failure("::1", 1, 5);
  EXPECT_EQ(failure.message.rfind("connection refused on [::1]:1: ", 0), 0u) << failure.message;
}

TEST(Socket, SilentPortTimesOutWithinTheDeadlineAndBlamesTheFirewall) {
  // A listener whose accept queue is full drops new SYNs, like a firewall.
  uint16_t port = 0;
  const int listener = test::bound_loopback_socket(port);
  ASSERT_EQ(listen(listener, 0), 0);
  std::vector<Socket> fillers;
  for (int i = 0; i < 4; ++i) {
    fillers.push_back(Socket::start_connect(resolve("127.0.0.1", port, Deadline::in(1))[0]));
  }
  const auto start = Clock::now();
  const SmtpFailure failure = connect_failure("127.0.0.1", port, 0.5);
  const double elapsed = seconds_since(start);
  EXPECT_GE(elapsed, 0.45);
  EXPECT_LT(elapsed, 1.5);
  EXPECT_EQ(failure.kind, ErrorKind::timeout);
  EXPECT_EQ(failure.phase, Phase::connect);
  EXPECT_EQ(failure.message, "no answer from 127.0.0.1:" + std::to_string(port) +
                                 " within 0.5s: the port may be blocked by a firewall (many hosts block 25 "
                                 "and some 465/587); try another port");
  ::close(listener);
}

TEST(Socket, StartConnectReportsOutcomeThroughConnectResult) {
  Peer peer(test::drain_until_closed);
  const Socket socket = Socket::start_connect(resolve("127.0.0.1", peer.port(), Deadline::in(1))[0]);
  ASSERT_TRUE(socket.valid());
  int result = socket.connect_result();
  while (result == -1 && socket.wait_writable(Deadline::in(5))) result = socket.connect_result();
  EXPECT_EQ(result, 0);
  EXPECT_EQ(socket.connect_result(), 0);
}

TEST(Socket, ConnectResultKeepsReportingARefusal) {
  uint16_t port = 0;
  const int reserved = test::bound_loopback_socket(port);
  const Socket socket = Socket::start_connect(resolve("127.0.0.1", port, Deadline::in(1))[0]);
  int result = socket.connect_result();
  while (result == -1 && socket.wait_writable(Deadline::in(5))) result = socket.connect_result();
  EXPECT_EQ(result, ECONNREFUSED);
  EXPECT_EQ(socket.connect_result(), ECONNREFUSED);  // SO_ERROR is read once; the answer stays
  ::close(reserved);
}

TEST(Socket, WaitReadableGivesUpAtTheDeadline) {
  Peer peer(test::drain_until_closed);
  const Socket socket = Socket::connect("127.0.0.1", peer.port(), Deadline::in(5));
  const auto start = Clock::now();
  EXPECT_FALSE(socket.wait_readable(Deadline::in(0.2)));
  EXPECT_GE(seconds_since(start), 0.19);
  EXPECT_TRUE(socket.wait_writable(Deadline::in(0.2)));
}

TEST(Socket, MoveHandsOverTheDescriptor) {
  Peer peer(test::drain_until_closed);
  Socket first = Socket::connect("127.0.0.1", peer.port(), Deadline::in(5));
  const int fd = first.fd();
  Socket second(std::move(first));
  EXPECT_FALSE(first.valid());
  EXPECT_EQ(second.fd(), fd);
  Socket third;
  third = std::move(second);
  EXPECT_FALSE(second.valid());
  EXPECT_EQ(third.fd(), fd);
  EXPECT_EQ(third.connect_result(), 0);
}

TEST(Socket, CloseReleasesTheDescriptor) {
  Peer peer(test::drain_until_closed);
  Socket socket = Socket::connect("127.0.0.1", peer.port(), Deadline::in(5));
  const int fd = socket.fd();
  socket.close();
  EXPECT_FALSE(socket.valid());
  EXPECT_EQ(fcntl(fd, F_GETFD), -1);
  EXPECT_FALSE(socket.peer_is_loopback());
}

}  // namespace
}  // namespace smtpx::net
