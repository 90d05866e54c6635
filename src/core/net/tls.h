// TLS over a connected Socket with OpenSSL 3: verification on by default
// (system CA store or a given CA file, SNI, host-name check), TLS 1.2 minimum.
// Used for STARTTLS (RFC 3207) and implicit TLS (RFC 8314) alike.
#pragma once

#include <memory>
#include <string>

#include "deadline.h"
#include "socket.h"

namespace smtpx::net {

struct TlsSettings {
  bool verify = true;
  std::string cafile;       // empty: the system store
  std::string server_name;  // for SNI and the host-name check; the host as the user gave it
};

// What the handshake established, for results and smtpx_probe().
struct TlsInfo {
  std::string version;  // "TLSv1.3"
  std::string cipher;
  std::string subject, issuer, not_after;
  bool verified = false;
  std::string verify_error;  // empty when verified
};

class TlsChannel {
 public:
  // Runs the client handshake on `socket`; throws NetworkError naming
  // what failed and what to do (a wrong host name, an unknown CA, an expired certificate).
  static std::unique_ptr<TlsChannel> handshake(Socket& socket, const TlsSettings& settings,
                                               Deadline deadline);
  ~TlsChannel();

  // Returns bytes read (0 at EOF); throws on errors or when the deadline passes.
  size_t read(const Socket& socket, char* buffer, size_t size, Deadline deadline);
  void write(const Socket& socket, const char* data, size_t size, Deadline deadline);
  // Decrypted bytes already buffered inside OpenSSL.
  bool has_pending() const;
  // Without waiting: true when nothing but TLS housekeeping (a TLS 1.3 session
  // ticket) has arrived; false on data, a close_notify, EOF or an error.
  bool peer_idle();
  // Sends close_notify without waiting for the peer's.
  void shutdown(Socket& socket);
  const TlsInfo& info() const { return info_; }

 private:
  TlsChannel() = default;
  struct Handle;
  std::unique_ptr<Handle> handle_;
  TlsInfo info_;
};

}  // namespace smtpx::net
