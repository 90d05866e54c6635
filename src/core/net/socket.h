// A TCP connection to a host: name resolution (IPv4 and IPv6), a non-blocking
// connect bounded by a deadline, TCP_NODELAY (replies are small and latency is
// all that counts), and reads and writes that wait with poll() and never block
// past their deadline. Failures throw NetworkError.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "deadline.h"

namespace smtpx::net {

// A resolved address to try, in the order getaddrinfo() returned them.
struct Endpoint {
  int family = 0;
  std::string ip;  // numeric, for messages and the loopback check
  std::vector<unsigned char> sockaddr_bytes;
};

std::vector<Endpoint> resolve(const std::string& host, uint16_t port, Deadline deadline);

class Socket {
 public:
  Socket() = default;
  explicit Socket(int fd) : fd_(fd) {}
  ~Socket();
  Socket(Socket&& other) noexcept;
  Socket& operator=(Socket&& other) noexcept;
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;

  // Starts a non-blocking connect to one endpoint; finish with connect_result().
  static Socket start_connect(const Endpoint& endpoint);
  // 0 once connected, an errno value when it failed, -1 while still in progress.
  // Never throws: a connect that failed at once (no route, no socket) is
  // reported here too, so a caller racing several sockets has one place to look.
  int connect_result() const;
  // Resolves `host` and connects to each address in turn until one answers.
  static Socket connect(const std::string& host, uint16_t port, Deadline deadline);

  int fd() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  // Blocks (poll) until readable or writable; false when the deadline passed.
  bool wait_readable(Deadline deadline) const;
  bool wait_writable(Deadline deadline) const;
  bool peer_is_loopback() const;
  std::string peer_ip() const;
  // This end's address of the connection, numeric ("127.0.0.1", "::1").
  std::string local_ip() const;
  // Closes without any shutdown handshake (used after fork, and on errors).
  void close();

 private:
  int fd_ = -1;
  // The outcome of the connect once known (SO_ERROR can be read only once).
  mutable int connect_error_ = -1;
};

}  // namespace smtpx::net
