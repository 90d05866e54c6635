// Connecting to a submission server, after Postfix's smtp_connect.c: resolve
// the name, try each address in the order the resolver gives (RFC 6724 through
// gai.conf), and report the failure that tells the user most about what to do.
//
// Promises: every socket is non-blocking and close-on-exec, with TCP_NODELAY;
// no call waits past its deadline, except name resolution (see resolve()).
// Failures throw NetworkError naming the host, the port, the cause and what to
// do about it.
#include "socket.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "network_error.h"

namespace smtpx::net {

namespace {

// "mail.example.com:587", "[2001:db8::1]:587": the way users write addresses.
std::string host_port(const std::string& host, uint16_t port) {
  const bool ipv6_literal = host.find(':') != std::string::npos;
  return (ipv6_literal ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

// The address actually tried, when the user gave a name rather than it.
std::string with_ip(const std::string& host, uint16_t port, const std::string& ip) {
  std::string where = host_port(host, port);
  if (!ip.empty() && ip != host) where += " (" + ip + ")";
  return where;
}

// "10s", "2.5s": the timeout as the user set it. The budget is measured a
// moment after the deadline was set, so it is rounded to tenths.
std::string seconds_text(Clock::duration duration) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", std::chrono::duration<double>(duration).count());
  std::string seconds = text;
  if (seconds.size() > 2 && seconds.compare(seconds.size() - 2, 2, ".0") == 0)
    seconds.resize(seconds.size() - 2);
  return seconds + "s";
}

std::string numeric_ip(const sockaddr* address, socklen_t length) {
  char ip[NI_MAXHOST];
  if (getnameinfo(address, length, ip, sizeof ip, nullptr, 0, NI_NUMERICHOST) != 0) return {};
  return ip;
}

bool is_loopback(const sockaddr_storage& address) {
  if (address.ss_family == AF_INET) {
    const auto& v4 = reinterpret_cast<const sockaddr_in&>(address);
    return (ntohl(v4.sin_addr.s_addr) >> 24) == 127;  // 127.0.0.0/8, RFC 1122 3.2.1.3
  }
  if (address.ss_family == AF_INET6) {
    const auto& v6 = reinterpret_cast<const sockaddr_in6&>(address).sin6_addr;
    // ::1, or 127.0.0.0/8 reached through an IPv4-mapped address (RFC 4291 2.5.5.2).
    return IN6_IS_ADDR_LOOPBACK(&v6) || (IN6_IS_ADDR_V4MAPPED(&v6) && v6.s6_addr[12] == 127);
  }
  return false;
}

// poll() on one descriptor until `events` or the deadline; a signal restarts
// the wait with the time that is left.
bool wait_for(int fd, short events, Deadline deadline) {
  pollfd entry{fd, events, 0};
  for (;;) {
    const int ready = ::poll(&entry, 1, deadline.poll_ms());
    if (ready > 0) return true;  // POLLERR and POLLHUP too: the next call reports them
    if (ready == 0) return false;
    if (errno != EINTR) {
      throw NetworkError(Fault::lost,
                         std::string("cannot wait for the server: poll failed: ") + std::strerror(errno), {},
                         errno);
    }
  }
}

}  // namespace

// getaddrinfo() has no timeout, so `deadline` is checked only once it returns.
// The alternatives cost more than they save: getaddrinfo_a() cannot cancel a
// lookup in flight (its memory must outlive the call), and a resolver thread
// does not survive the fork() of a PHP-FPM worker. The system resolver's own
// timeout (resolv.conf "options timeout") bounds the wait.
std::vector<Endpoint> resolve(const std::string& host, uint16_t port, Deadline deadline) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  // No AI_ADDRCONFIG: it ignores loopback addresses when deciding whether the
  // machine "has" IPv4 or IPv6, so "localhost" fails on a host whose only
  // addresses are loopback (a container, a test namespace).
  hints.ai_flags = AI_NUMERICSERV;
  addrinfo* found = nullptr;
  const int status = getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found);
  if (status != 0) {
    const int error_number = status == EAI_SYSTEM ? errno : 0;
    const std::string cause = status == EAI_SYSTEM ? std::strerror(errno) : gai_strerror(status);
    throw NetworkError(Fault::unresolved, "cannot resolve " + host + " (" + cause + ")",
                       "check the host name", error_number);
  }
  std::vector<Endpoint> endpoints;
  for (const addrinfo* entry = found; entry != nullptr; entry = entry->ai_next) {
    Endpoint endpoint;
    endpoint.family = entry->ai_family;
    endpoint.ip = numeric_ip(entry->ai_addr, entry->ai_addrlen);
    const auto* bytes = reinterpret_cast<const unsigned char*>(entry->ai_addr);
    endpoint.sockaddr_bytes.assign(bytes, bytes + entry->ai_addrlen);
    endpoints.push_back(std::move(endpoint));
  }
  freeaddrinfo(found);
  if (deadline.passed()) {
    throw NetworkError(Fault::timeout, "resolving " + host + " took longer than the connect timeout",
                       "check the DNS resolver of this machine");
  }
  return endpoints;
}

Socket::~Socket() {
  close();
}

Socket::Socket(Socket&& other) noexcept : fd_(other.fd_), connect_error_(other.connect_error_) {
  other.fd_ = -1;
  other.connect_error_ = -1;
}

Socket& Socket::operator=(Socket&& other) noexcept {
  if (this != &other) {
    close();
    fd_ = other.fd_;
    connect_error_ = other.connect_error_;
    other.fd_ = -1;
    other.connect_error_ = -1;
  }
  return *this;
}

Socket Socket::start_connect(const Endpoint& endpoint) {
  Socket socket;
  socket.fd_ = ::socket(endpoint.family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (socket.fd_ < 0) {
    socket.connect_error_ = errno;
    return socket;
  }
  // Commands and replies are small and each waits for the other: Nagle's
  // algorithm would only hold back the last segment of every pipelined group.
  const int on = 1;
  setsockopt(socket.fd_, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
  const auto* address = reinterpret_cast<const sockaddr*>(endpoint.sockaddr_bytes.data());
  if (::connect(socket.fd_, address, static_cast<socklen_t>(endpoint.sockaddr_bytes.size())) == 0) {
    socket.connect_error_ = 0;
  } else if (errno != EINPROGRESS && errno != EINTR) {
    // EINTR: the connect goes on in the background, like EINPROGRESS (POSIX connect()).
    socket.connect_error_ = errno;
  }
  return socket;
}

int Socket::connect_result() const {
  if (connect_error_ >= 0) return connect_error_;
  if (fd_ < 0) return EBADF;
  pollfd entry{fd_, POLLOUT, 0};
  if (::poll(&entry, 1, 0) <= 0) return -1;
  int error = 0;
  socklen_t length = sizeof error;
  if (getsockopt(fd_, SOL_SOCKET, SO_ERROR, &error, &length) != 0) error = errno;
  connect_error_ = error;
  return error;
}

Socket Socket::connect(const std::string& host, uint16_t port, Deadline deadline) {
  const auto budget = deadline.at - Clock::now();
  const std::vector<Endpoint> endpoints = resolve(host, port, deadline);

  // The worst failure decides the message: a timeout (a firewall) says more
  // than a refusal, and a refusal more than, say, an IPv6 route missing.
  enum Outcome { other, refused, timed_out };
  Outcome worst = other;
  int worst_errno = 0;
  std::string worst_ip;

  for (size_t i = 0; i < endpoints.size(); ++i) {
    // Each address gets an equal share of what is left, so one address that
    // drops packets (often IPv6) does not use up the time of the ones after it.
    const auto addresses_left = static_cast<Clock::rep>(endpoints.size() - i);
    const Deadline attempt{Clock::now() + (deadline.at - Clock::now()) / addresses_left};
    Socket socket = start_connect(endpoints[i]);
    int result = socket.connect_result();
    while (result == -1 && socket.wait_writable(attempt)) result = socket.connect_result();
    if (result == 0) return socket;

    const Outcome outcome = result == -1 ? timed_out : result == ECONNREFUSED ? refused : other;
    if (outcome >= worst) {
      worst = outcome;
      worst_errno = result;
      worst_ip = endpoints[i].ip;
    }
    if (deadline.passed()) break;
  }

  const std::string where = with_ip(host, port, worst_ip);
  switch (worst) {
    case timed_out:
      throw NetworkError(Fault::timeout, "no answer from " + where + " within " + seconds_text(budget),
                         "the port may be blocked by a firewall (many hosts block 25 and some 465/587); "
                         "try another port");
    case refused:
      throw NetworkError(Fault::refused, "connection refused on " + where,
                         "nothing listens there; check the port or try 587/465", worst_errno);
    case other:
      break;
  }
  throw NetworkError(Fault::unreachable,
                     "cannot connect to " + where + " (" + std::strerror(worst_errno) + ")",
                     "check the host name and this machine's network", worst_errno);
}

bool Socket::wait_readable(Deadline deadline) const {
  return wait_for(fd_, POLLIN, deadline);
}

bool Socket::wait_writable(Deadline deadline) const {
  return wait_for(fd_, POLLOUT, deadline);
}

bool Socket::peer_is_loopback() const {
  sockaddr_storage peer{};
  socklen_t length = sizeof peer;
  if (fd_ < 0 || getpeername(fd_, reinterpret_cast<sockaddr*>(&peer), &length) != 0) return false;
  return is_loopback(peer);
}

std::string Socket::peer_ip() const {
  sockaddr_storage peer{};
  socklen_t length = sizeof peer;
  if (fd_ < 0 || getpeername(fd_, reinterpret_cast<sockaddr*>(&peer), &length) != 0) return {};
  return numeric_ip(reinterpret_cast<const sockaddr*>(&peer), length);
}

std::string Socket::local_ip() const {
  sockaddr_storage local{};
  socklen_t length = sizeof local;
  if (fd_ < 0 || getsockname(fd_, reinterpret_cast<sockaddr*>(&local), &length) != 0) return {};
  return numeric_ip(reinterpret_cast<const sockaddr*>(&local), length);
}

void Socket::close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  connect_error_ = -1;
}

}  // namespace smtpx::net
