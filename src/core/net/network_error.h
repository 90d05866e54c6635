// What went wrong on the network, in the network's own terms. net/ knows
// nothing of SMTP: its errors say what happened (refused, timed out, a
// certificate not trusted), the errno and the address tried, and what the
// user can do about it. The SMTP session turns them into failures with a
// phase and a retry answer (smtp/failure.h), in one place.
#pragma once

#include <stdexcept>
#include <string>
#include <utility>

namespace smtpx::net {

enum class Fault {
  unresolved,     // the host name did not resolve
  refused,        // nothing listens on the port (an RST answered the SYN)
  unreachable,    // no route, network down, or another error before the TCP handshake completed
  timeout,        // nothing happened before the deadline: packets dropped, a silent or slow peer
  closed,         // the peer closed the connection
  lost,           // reset, or another error on an established connection (TLS records included)
  tls_setup,      // this side could not set TLS up: the CA store, a CA file, OpenSSL itself
  tls_refused,    // the TLS handshake failed: no common version, not TLS on that port, an alert
  tls_untrusted,  // the server's certificate did not verify (chain, name, dates)
};

class NetworkError : public std::runtime_error {
 public:
  // `what`: what happened, naming the host or address; `hint`: what to do
  // about it, or empty. The message is both, joined by ": ".
  NetworkError(Fault fault, const std::string& what, std::string hint = {}, int error_number = 0)
      : std::runtime_error(hint.empty() ? what : what + ": " + hint),
        fault_(fault),
        hint_(std::move(hint)),
        error_number_(error_number) {}

  Fault fault() const { return fault_; }
  const std::string& hint() const { return hint_; }
  int error_number() const { return error_number_; }  // 0 when no system call failed

 private:
  Fault fault_;
  std::string hint_;
  int error_number_;
};

}  // namespace smtpx::net
