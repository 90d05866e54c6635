// The byte stream the SMTP session talks through: the socket itself, or TLS on
// it once STARTTLS (RFC 3207) or implicit TLS (RFC 8314) has run.
//
// Promises: each write_all() is handed to the kernel in as few calls as it
// takes, never split by us; reads and writes never wait past their deadline;
// SIGPIPE is never raised. Failures throw NetworkError; the session knows
// which SMTP phase it was in.
#include "connection.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

#include "network_error.h"

namespace smtpx::net {

namespace {

[[noreturn]] void fail_lost(const char* doing, int cause) {
  throw NetworkError(
      Fault::lost,
      std::string("the connection to the server was lost while ") + doing + ": " + std::strerror(cause), {},
      cause);
}

[[noreturn]] void fail_closed() {
  throw NetworkError(Fault::closed, "the connection to the server is closed");
}

// One TLS record's worth (RFC 8446 5.1): a read never returns more.
constexpr size_t kReadChunk = 16384;

}  // namespace

Connection::Connection(Socket socket) : socket_(std::move(socket)) {}
Connection::~Connection() = default;
Connection::Connection(Connection&&) noexcept = default;
Connection& Connection::operator=(Connection&&) noexcept = default;

void Connection::write_all(std::string_view bytes, Deadline deadline) {
  if (!socket_.valid()) fail_closed();
  if (tls_) {
    tls_->write(socket_, bytes.data(), bytes.size(), deadline);
    return;
  }
  while (!bytes.empty()) {
    // MSG_NOSIGNAL: a server that has gone away is an error here, not a signal
    // that kills the PHP worker.
    const ssize_t sent = ::send(socket_.fd(), bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (sent >= 0) {
      bytes.remove_prefix(static_cast<size_t>(sent));
    } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
      if (!socket_.wait_writable(deadline)) {
        throw NetworkError(Fault::timeout, "the server did not take the data in time");
      }
    } else if (errno != EINTR) {
      fail_lost("sending", errno);
    }
  }
}

void Connection::read_some(std::string& out, Deadline deadline) {
  if (!socket_.valid()) fail_closed();
  char buffer[kReadChunk];
  size_t received = 0;
  if (tls_) {
    received = tls_->read(socket_, buffer, sizeof buffer, deadline);
  } else {
    for (;;) {
      const ssize_t result = ::recv(socket_.fd(), buffer, sizeof buffer, 0);
      if (result >= 0) {
        received = static_cast<size_t>(result);
        break;
      }
      if (errno == EAGAIN || errno == EWOULDBLOCK) {
        if (!socket_.wait_readable(deadline))
          throw NetworkError(Fault::timeout, "the server did not answer in time");
      } else if (errno != EINTR) {
        fail_lost("reading", errno);
      }
    }
  }
  if (received == 0) throw NetworkError(Fault::closed, "the server closed the connection");
  out.append(buffer, received);
#ifdef TCP_QUICKACK
  // A server that leaves Nagle on (Haraka among them) sends the rest of a reply
  // only once its first segment is acknowledged, and a delayed ACK holds that
  // ~40 ms per reply. Linux clears quick-ACK mode by itself: set it after every read.
  const int on = 1;
  setsockopt(socket_.fd(), IPPROTO_TCP, TCP_QUICKACK, &on, sizeof on);
#endif
}

void Connection::start_tls(const TlsSettings& settings, Deadline deadline) {
  tls_ = TlsChannel::handshake(socket_, settings, deadline);
}

bool Connection::idle_and_open() {
  if (!socket_.valid()) return false;
  if (tls_ && tls_->has_pending()) return false;
  pollfd entry{socket_.fd(), POLLIN, 0};
  int ready;
  do ready = ::poll(&entry, 1, 0);
  while (ready < 0 && errno == EINTR);
  if (ready == 0) return true;
  if (ready < 0 || (entry.revents & (POLLERR | POLLHUP | POLLNVAL)) != 0) return false;
  // Readable: in clear text that is an EOF or an unasked reply (often a 421
  // before the server hangs up on an idle client). In TLS it may also be only
  // a session ticket, which leaves the connection as good as it was.
  return tls_ && tls_->peer_idle();
}

void Connection::close() {
  if (tls_ && socket_.valid()) tls_->shutdown(socket_);
  tls_.reset();
  socket_.close();
}

void Connection::abandon() {
  // The parent process owns the TLS state on the wire: a close_notify from the
  // child would end the parent's session. Close the descriptor first, then
  // free the memory, which sends nothing.
  socket_.close();
  tls_.reset();
}

}  // namespace smtpx::net
