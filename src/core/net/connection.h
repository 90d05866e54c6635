// One byte stream to a server, plain or inside TLS after an upgrade: what the
// SMTP session reads from and writes to. Every write is one call, so a command
// group leaves in one segment (with TCP_NODELAY set on the socket).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "socket.h"
#include "tls.h"

namespace smtpx::net {

class Connection {
 public:
  explicit Connection(Socket socket);
  ~Connection();
  Connection(Connection&&) noexcept;
  Connection& operator=(Connection&&) noexcept;

  void write_all(std::string_view bytes, Deadline deadline);
  // Appends what arrives (at least one byte) to `out`; throws NetworkError on
  // EOF, errors or when the deadline passes.
  void read_some(std::string& out, Deadline deadline);
  void start_tls(const TlsSettings& settings, Deadline deadline);

  bool is_tls() const { return tls_ != nullptr; }
  const TlsInfo* tls_info() const { return tls_ ? &tls_->info() : nullptr; }
  bool peer_is_loopback() const { return socket_.peer_is_loopback(); }
  std::string local_ip() const { return socket_.local_ip(); }
  // Without a round trip: false when the peer closed or sent something unasked
  // (a 421 before closing on idle), i.e. the connection cannot be reused.
  bool idle_and_open();
  // A polite end: TLS close_notify when in TLS, then close.
  void close();
  // After fork(): close the descriptor and touch nothing shared with the parent.
  void abandon();

 private:
  Socket socket_;
  std::unique_ptr<TlsChannel> tls_;
};

}  // namespace smtpx::net
