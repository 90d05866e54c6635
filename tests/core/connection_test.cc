// The byte stream the session talks through, in clear text and in TLS: bytes
// arrive whole, waits end at the deadline, a gone server is an error (never a
// SIGPIPE), and the liveness check and the two ways of closing behave.
#include "core/net/connection.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "core/error.h"
#include "core/net/network_error.h"
#include "core/smtp/failure.h"
#include "net_test_peer.h"

namespace smtpx::net {
namespace {

using test::accept_tls;
using test::Peer;

Connection connect_to(const Peer& peer) {
  return Connection(Socket::connect("127.0.0.1", peer.port(), Deadline::in(5)));
}

TlsSettings trusting_test_ca() {
  TlsSettings settings;
  settings.cafile = test::Pki::get().ca;
  settings.server_name = "localhost";
  return settings;
}

Connection connect_tls_to(const Peer& peer) {
  Connection connection = connect_to(peer);
  connection.start_tls(trusting_test_ca(), Deadline::in(5));
  return connection;
}

void echo(int fd) {
  char buffer[4096];
  ssize_t received;
  while ((received = recv(fd, buffer, sizeof buffer, 0)) > 0) send(fd, buffer, received, MSG_NOSIGNAL);
}

void echo_tls(int fd) {
  auto ssl = accept_tls(fd);
  char buffer[4096];
  size_t received = 0;
  while (ssl && SSL_read_ex(ssl.get(), buffer, sizeof buffer, &received) == 1) {
    size_t written = 0;
    SSL_write_ex(ssl.get(), buffer, received, &written);
  }
}

// Reads until `size` bytes have arrived.
std::string read_exactly(Connection& connection, size_t size) {
  std::string received;
  for (int reads = 0; received.size() < size && reads < 10000; ++reads) {
    connection.read_some(received, Deadline::in(5));
  }
  return received;
}

SmtpFailure read_failure(Connection& connection, double seconds) {
  std::string out;
  try {
    for (int reads = 0; reads < 100; ++reads) connection.read_some(out, Deadline::in(seconds));
  } catch (const NetworkError& error) {
    return smtp::failure_from_network(error, Phase::mail);
  }
  ADD_FAILURE() << "read_some kept returning: " << out;
  return {};
}

// Writes until the connection reports the peer gone (the first writes may
// still be accepted by the kernel), then writes again: the first error is
// often ECONNRESET, the ones after it EPIPE, which is what raises SIGPIPE.
SmtpFailure write_failure(Connection& connection) {
  SmtpFailure first;
  int failures = 0;
  for (int writes = 0; writes < 200 && failures < 3; ++writes) {
    try {
      connection.write_all("NOOP\r\n", Deadline::in(1));
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    } catch (const NetworkError& error) {
      if (failures++ == 0) first = smtp::failure_from_network(error, Phase::mail);
    }
  }
  EXPECT_EQ(failures, 3) << "writes to a closed peer kept succeeding";
  return first;
}

// Polls `condition` for up to two seconds.
bool eventually(const std::function<bool()>& condition) {
  for (int tries = 0; tries < 200; ++tries) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

TEST(Connection, CarriesBytesBothWaysInClearText) {
  Peer peer(echo);
  Connection connection = connect_to(peer);
  EXPECT_FALSE(connection.is_tls());
  EXPECT_EQ(connection.tls_info(), nullptr);
  EXPECT_TRUE(connection.peer_is_loopback());
  connection.write_all("EHLO client.example\r\n", Deadline::in(5));
  EXPECT_EQ(read_exactly(connection, 21), "EHLO client.example\r\n");
}

TEST(Connection, ReadSomeAppendsToWhatIsThere) {
  Peer peer(echo);
  Connection connection = connect_to(peer);
  connection.write_all("250 OK\r\n", Deadline::in(5));
  std::string out = "220 ready\r\n";
  while (out.size() < 19) connection.read_some(out, Deadline::in(5));
  EXPECT_EQ(out, "220 ready\r\n250 OK\r\n");
}

TEST(Connection, ALargeWriteArrivesWhole) {
  const size_t size = 8 << 20;
  std::atomic<size_t> counted{0};
  {
    Peer peer([&counted](int fd) {
      char buffer[65536];
      ssize_t received;
      while ((received = recv(fd, buffer, sizeof buffer, 0)) > 0) counted += static_cast<size_t>(received);
    });
    Connection connection = connect_to(peer);
    connection.write_all(std::string(size, 'x'), Deadline::in(10));
  }
  EXPECT_EQ(counted, size);
}

TEST(Connection, ASilentServerTimesOutAtTheDeadline) {
  Peer peer(test::drain_until_closed);
  Connection connection = connect_to(peer);
  const auto start = Clock::now();
  const SmtpFailure failure = read_failure(connection, 0.3);
  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  EXPECT_GE(elapsed, 0.29);
  EXPECT_LT(elapsed, 2.0);
  EXPECT_EQ(failure.kind, ErrorKind::timeout);
  EXPECT_EQ(failure.message, "the server did not answer in time");
  EXPECT_TRUE(failure.transient);
}

TEST(Connection, AClosedConnectionIsReportedAsSuch) {
  Peer peer([](int) {});
  Connection connection = connect_to(peer);
  const SmtpFailure failure = read_failure(connection, 5);
  EXPECT_EQ(failure.kind, ErrorKind::connect);
  EXPECT_EQ(failure.message, "the server closed the connection");
}

TEST(Connection, WritingToAGoneServerIsAnErrorNotASignal) {
  Peer peer([](int) {});
  Connection connection = connect_to(peer);
  const SmtpFailure failure = write_failure(connection);
  EXPECT_EQ(failure.kind, ErrorKind::connect);
  EXPECT_EQ(failure.message.rfind("the connection to the server was lost while sending: ", 0), 0u)
      << failure.message;
}

TEST(Connection, CarriesBytesBothWaysInTls) {
  Peer peer(echo_tls);
  Connection connection = connect_tls_to(peer);
  ASSERT_TRUE(connection.is_tls());
  ASSERT_NE(connection.tls_info(), nullptr);
  EXPECT_TRUE(connection.tls_info()->verified);
  connection.write_all("EHLO client.example\r\n", Deadline::in(5));
  EXPECT_EQ(read_exactly(connection, 21), "EHLO client.example\r\n");
}

TEST(Connection, ALargeTlsWriteArrivesWhole) {
  const std::string sent = std::string(8 << 20, 'x') + "\r\n.\r\n";
  // Counts what arrives and answers once all of it did, like a DATA reply.
  Peer peer([size = sent.size()](int fd) {
    auto ssl = accept_tls(fd);
    char buffer[65536];
    size_t counted = 0, received = 0;
    while (ssl && counted < size && SSL_read_ex(ssl.get(), buffer, sizeof buffer, &received) == 1) {
      counted += received;
    }
    const std::string reply = "250 " + std::to_string(counted) + "\r\n";
    size_t written = 0;
    if (ssl) SSL_write_ex(ssl.get(), reply.data(), reply.size(), &written);
    test::drain_until_closed(fd);
  });
  Connection connection = connect_tls_to(peer);
  connection.write_all(sent, Deadline::in(20));
  const std::string expected = "250 " + std::to_string(sent.size()) + "\r\n";
  EXPECT_EQ(read_exactly(connection, expected.size()), expected);
}

TEST(Connection, AServerClosingTlsIsReportedAsClosed) {
  Peer peer([](int fd) {
    if (auto ssl = accept_tls(fd)) SSL_shutdown(ssl.get());
  });
  Connection connection = connect_tls_to(peer);
  EXPECT_EQ(read_failure(connection, 5).message, "the server closed the connection");
}

TEST(Connection, AServerDroppingTlsWithoutCloseNotifyIsReportedAsClosed) {
  Peer peer([](int fd) { accept_tls(fd); });
  Connection connection = connect_tls_to(peer);
  EXPECT_EQ(read_failure(connection, 5).message, "the server closed the connection");
}

TEST(Connection, TlsReadTimesOutAtTheDeadline) {
  Peer peer([](int fd) {
    if (auto ssl = accept_tls(fd)) test::drain_until_closed(fd);
  });
  Connection connection = connect_tls_to(peer);
  const SmtpFailure failure = read_failure(connection, 0.3);
  EXPECT_EQ(failure.kind, ErrorKind::timeout);
}

TEST(Connection, WritingTlsToAGoneServerIsAnErrorNotASignal) {
  Peer peer([](int fd) { accept_tls(fd); });
  Connection connection = connect_tls_to(peer);
  const SmtpFailure failure = write_failure(connection);
  EXPECT_EQ(failure.kind, ErrorKind::connect);
  EXPECT_EQ(failure.message.rfind("the connection to the server was lost while sending", 0), 0u)
      << failure.message;
}

TEST(Connection, AQuietConnectionIsIdleAndOpen) {
  Peer peer(test::drain_until_closed);
  Connection connection = connect_to(peer);
  EXPECT_TRUE(connection.idle_and_open());
}

TEST(Connection, AnUnaskedReplyMeansNotReusable) {
  Peer peer([](int fd) {
    const std::string reply = "421 4.4.2 idle too long, closing\r\n";
    send(fd, reply.data(), reply.size(), MSG_NOSIGNAL);
    test::drain_until_closed(fd);
  });
  Connection connection = connect_to(peer);
  EXPECT_TRUE(eventually([&] { return !connection.idle_and_open(); }));
}

TEST(Connection, APeerThatClosedMeansNotReusable) {
  Peer peer([](int) {});
  Connection connection = connect_to(peer);
  EXPECT_TRUE(eventually([&] { return !connection.idle_and_open(); }));
}

TEST(Connection, TlsSessionTicketsLeaveTheConnectionIdle) {
  Peer peer(echo_tls);
  Connection connection = connect_tls_to(peer);
  ASSERT_EQ(connection.tls_info()->version, "TLSv1.3");
  // TLS 1.3 servers send session tickets after the handshake; they arrive
  // unasked but are no reply.
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_TRUE(connection.idle_and_open());
  EXPECT_TRUE(connection.idle_and_open());
  connection.write_all("NOOP\r\n", Deadline::in(5));
  EXPECT_EQ(read_exactly(connection, 6), "NOOP\r\n");
}

TEST(Connection, AnUnaskedTlsReplyMeansNotReusable) {
  Peer peer([](int fd) {
    auto ssl = accept_tls(fd);
    const std::string reply = "421 4.4.2 idle too long, closing\r\n";
    size_t written = 0;
    if (ssl && SSL_write_ex(ssl.get(), reply.data(), reply.size(), &written) == 1)
      test::drain_until_closed(fd);
  });
  Connection connection = connect_tls_to(peer);
  EXPECT_TRUE(eventually([&] { return !connection.idle_and_open(); }));
}

TEST(Connection, ATlsPeerThatClosedMeansNotReusable) {
  Peer peer([](int fd) {
    if (auto ssl = accept_tls(fd)) SSL_shutdown(ssl.get());
  });
  Connection connection = connect_tls_to(peer);
  EXPECT_TRUE(eventually([&] { return !connection.idle_and_open(); }));
}

// What the server's SSL_read saw once the client was done.
int server_read_outcome(const std::function<void(Connection&)>& finish) {
  std::atomic<int> outcome{-1};
  {
    Peer peer([&outcome](int fd) {
      auto ssl = accept_tls(fd);
      char byte;
      size_t received = 0;
      const int done = ssl ? SSL_read_ex(ssl.get(), &byte, 1, &received) : 0;
      outcome = ssl ? SSL_get_error(ssl.get(), done) : -2;
      ERR_clear_error();
    });
    Connection connection = connect_tls_to(peer);
    finish(connection);
    EXPECT_FALSE(connection.idle_and_open());
  }
  return outcome;
}

TEST(Connection, CloseSendsCloseNotify) {
  EXPECT_EQ(server_read_outcome([](Connection& connection) { connection.close(); }), SSL_ERROR_ZERO_RETURN);
}

TEST(Connection, AbandonSendsNothing) {
  const int outcome = server_read_outcome([](Connection& connection) {
    connection.abandon();
    EXPECT_FALSE(connection.is_tls());
  });
  EXPECT_NE(outcome, SSL_ERROR_ZERO_RETURN);
  EXPECT_NE(outcome, SSL_ERROR_NONE);
}

TEST(Connection, AClosedConnectionRefusesToWrite) {
  Peer peer(test::drain_until_closed);
  Connection connection = connect_to(peer);
  connection.close();
  try {
    connection.write_all("QUIT\r\n", Deadline::in(1));
    FAIL() << "wrote to a closed connection";
  } catch (const NetworkError& error) {
    EXPECT_EQ(error.fault(), Fault::closed);
    EXPECT_STREQ(error.what(), "the connection to the server is closed");
  }
}

TEST(Connection, MovingKeepsTheStream) {
  Peer peer(echo_tls);
  Connection first = connect_tls_to(peer);
  Connection second(std::move(first));
  EXPECT_TRUE(second.is_tls());
  second.write_all("RSET\r\n", Deadline::in(5));
  EXPECT_EQ(read_exactly(second, 6), "RSET\r\n");
}

}  // namespace
}  // namespace smtpx::net
