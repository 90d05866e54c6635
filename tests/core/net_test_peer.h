// Peers for the network tests, all on 127.0.0.1: a one-connection server on a
// thread, a throwaway CA with a server certificate for localhost and 127.0.0.1
// (made once per run with the openssl command line), and the server side of TLS.
// Every wait here is bounded, so a broken client fails a test instead of
// hanging the run.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>

namespace smtpx::net::test {

// How long any peer waits for the client before giving up.
constexpr int kPeerPatienceMs = 5000;

// A socket bound to 127.0.0.1 on a port the kernel picked.
inline int bound_loopback_socket(uint16_t& port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&address), length) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    throw std::runtime_error("cannot bind a loopback socket");
  }
  port = ntohs(address.sin_port);
  return fd;
}

// Waits until the client closes (or the patience runs out), reading and
// dropping whatever it sends.
inline void drain_until_closed(int fd) {
  char buffer[4096];
  pollfd entry{fd, POLLIN, 0};
  while (::poll(&entry, 1, kPeerPatienceMs) > 0 && ::recv(fd, buffer, sizeof buffer, 0) > 0) {
  }
}

// Accepts one connection and runs `serve` on it in a thread; the destructor
// joins. Declare it before the client so the client closes first.
class Peer {
 public:
  explicit Peer(std::function<void(int)> serve) {
    listener_ = bound_loopback_socket(port_);
    if (listen(listener_, 8) != 0) throw std::runtime_error("cannot listen on loopback");
    thread_ = std::thread([this, serve = std::move(serve)] {
      // The server side writes with OpenSSL's plain write(2) and the client may
      // already be gone: SIGPIPE stays blocked in this thread (it is directed
      // at the thread that wrote), so only a client that raises it fails.
      sigset_t pipe;
      sigemptyset(&pipe);
      sigaddset(&pipe, SIGPIPE);
      pthread_sigmask(SIG_BLOCK, &pipe, nullptr);
      pollfd entry{listener_, POLLIN, 0};
      if (::poll(&entry, 1, kPeerPatienceMs) <= 0) return;
      const int fd = accept(listener_, nullptr, nullptr);
      if (fd < 0) return;
      const timeval patience{kPeerPatienceMs / 1000, 0};
      setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &patience, sizeof patience);
      setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &patience, sizeof patience);
      serve(fd);
      ::close(fd);
    });
  }
  ~Peer() {
    thread_.join();
    ::close(listener_);
  }
  Peer(const Peer&) = delete;
  Peer& operator=(const Peer&) = delete;
  uint16_t port() const { return port_; }

 private:
  int listener_ = -1;
  uint16_t port_ = 0;
  std::thread thread_;
};

// A CA, a second CA nobody trusts, and a certificate for localhost and
// 127.0.0.1 signed by the first; made once, removed at exit.
struct Pki {
  std::string dir, ca, other_ca, server_cert, server_key;

  static const Pki& get() {
    static const Pki pki;
    return pki;
  }

 private:
  Pki() {
    char pattern[] = "/tmp/smtpx-net-test-XXXXXX";
    if (mkdtemp(pattern) == nullptr) throw std::runtime_error("mkdtemp failed");
    dir = pattern;
    ca = dir + "/ca.pem";
    other_ca = dir + "/other-ca.pem";
    server_cert = dir + "/server.pem";
    server_key = dir + "/server.key";
    const std::string key = " -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes";
    const std::string ca_extensions =
        " -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign";
    const std::string script =
        "cd " + dir + " && exec >openssl.log 2>&1" + " && openssl req -x509" + key +
        " -keyout ca.key -out ca.pem -days 2 -subj '/CN=smtpx test CA'" + ca_extensions +
        " && openssl req -x509" + key +
        " -keyout other-ca.key -out other-ca.pem -days 2 -subj '/CN=smtpx other CA'" + ca_extensions +
        " && openssl req" + key + " -keyout server.key -out server.csr -subj '/CN=localhost'" +
        " && printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\\nextendedKeyUsage=serverAuth\\n' > "
        "server.ext" +
        " && openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2" +
        " -extfile server.ext -out server.pem";
    if (std::system(script.c_str()) != 0)
      throw std::runtime_error("openssl failed, see " + dir + "/openssl.log");
  }
  ~Pki() { std::system(("rm -rf " + dir).c_str()); }
};

struct SslFree {
  void operator()(SSL* ssl) const { SSL_free(ssl); }
};
struct SslCtxFree {
  void operator()(SSL_CTX* context) const { SSL_CTX_free(context); }
};
using ServerSsl = std::unique_ptr<SSL, SslFree>;

struct ServerTlsOptions {
  int max_version = 0;              // 0: the newest OpenSSL offers
  std::string* sni_seen = nullptr;  // receives the server name the client sent
};

// The server side of a handshake on a blocking `fd`; null when it failed (as
// it must when the client refuses the certificate).
inline ServerSsl accept_tls(int fd, const ServerTlsOptions& options = {}) {
  const Pki& pki = Pki::get();
  std::unique_ptr<SSL_CTX, SslCtxFree> context(SSL_CTX_new(TLS_server_method()));
  SSL_CTX_use_certificate_chain_file(context.get(), pki.server_cert.c_str());
  SSL_CTX_use_PrivateKey_file(context.get(), pki.server_key.c_str(), SSL_FILETYPE_PEM);
  if (options.max_version != 0) SSL_CTX_set_max_proto_version(context.get(), options.max_version);
  ServerSsl ssl(SSL_new(context.get()));
  SSL_set_fd(ssl.get(), fd);
  const int accepted = SSL_accept(ssl.get());
  if (options.sni_seen != nullptr) {
    const char* name = SSL_get_servername(ssl.get(), TLSEXT_NAMETYPE_host_name);
    *options.sni_seen = name != nullptr ? name : "";
  }
  ERR_clear_error();
  if (accepted != 1) return nullptr;
  return ssl;
}

}  // namespace smtpx::net::test
