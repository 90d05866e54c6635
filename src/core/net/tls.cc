// TLS with OpenSSL 3 for STARTTLS (RFC 3207) and implicit TLS (RFC 8314).
//
// Promises: TLS 1.2 or newer; with verification on (the default) the chain must
// lead to a trusted CA (the system store, or `cafile` alone when given) and the
// certificate must name the host (RFC 6125, through SSL_set1_host, or the IP
// address for an IP literal); SNI is sent for names. No call waits past its
// deadline, and no OpenSSL error is left on the thread's queue for the next
// user of OpenSSL in the process (PHP's openssl extension reads that queue).
//
// Failures throw NetworkError naming the reason and what to do about it.
#include "tls.h"

#include <arpa/inet.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <ctime>
#include <map>
#include <mutex>
#include <vector>

#include "../error.h"
#include "network_error.h"

namespace smtpx::net {

namespace {

// What failed, and what the user can do about it (NetworkError's two parts).
struct Explanation {
  std::string what;
  std::string hint;
};

[[noreturn]] void fail(Fault fault, Explanation explanation, int error_number = 0) {
  ERR_clear_error();
  throw NetworkError(fault, explanation.what, std::move(explanation.hint), error_number);
}

std::string openssl_reason() {
  const unsigned long code = ERR_peek_last_error();
  const char* reason = code != 0 ? ERR_reason_error_string(code) : nullptr;
  return reason != nullptr ? reason : "unknown error";
}

// OpenSSL's socket BIO writes with write(2), so a peer that has gone away
// raises SIGPIPE, which kills a PHP worker that does not ignore it. This BIO
// sends with MSG_NOSIGNAL instead; otherwise it behaves like the socket BIO.
int descriptor_of(BIO* bio) {
  return static_cast<int>(reinterpret_cast<intptr_t>(BIO_get_data(bio)));
}

int bio_write(BIO* bio, const char* data, int size) {
  BIO_clear_retry_flags(bio);
  ssize_t sent;
  do sent = ::send(descriptor_of(bio), data, static_cast<size_t>(size), MSG_NOSIGNAL);
  while (sent < 0 && errno == EINTR);
  if (sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) BIO_set_retry_write(bio);
  return static_cast<int>(sent);
}

int bio_read(BIO* bio, char* data, int size) {
  BIO_clear_retry_flags(bio);
  ssize_t received;
  do received = ::recv(descriptor_of(bio), data, static_cast<size_t>(size), 0);
  while (received < 0 && errno == EINTR);
  if (received < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) BIO_set_retry_read(bio);
  // Remembered for BIO_CTRL_EOF: OpenSSL asks it to tell an EOF from an error.
  if (received == 0) BIO_set_flags(bio, BIO_FLAGS_IN_EOF);
  return static_cast<int>(received);
}

long bio_ctrl(BIO* bio, int command, long, void*) {
  switch (command) {
    case BIO_CTRL_FLUSH:
      return 1;
    case BIO_CTRL_EOF:
      return BIO_test_flags(bio, BIO_FLAGS_IN_EOF) != 0;
    default:
      return 0;
  }
}

// Created once and kept for the life of the process, like the contexts below.
const BIO_METHOD* socket_method() {
  static const BIO_METHOD* method = [] {
    BIO_METHOD* created = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "smtpx socket");
    if (created != nullptr) {
      BIO_meth_set_write(created, bio_write);
      BIO_meth_set_read(created, bio_read);
      BIO_meth_set_ctrl(created, bio_ctrl);
    }
    return created;
  }();
  return method;
}

// One client context per CA file: loading a CA bundle is the expensive part of
// a context, and a context is safe to share once set up. They live as long as
// the process (and are still reachable at exit): freeing them from a static
// destructor would race OpenSSL's own atexit cleanup. The map is allocated and
// never destroyed for the same reason. A changed CA file is read again only by
// a new process.
SSL_CTX* context_for(const std::string& cafile) {
  static std::mutex mutex;
  static auto& contexts = *new std::map<std::string, SSL_CTX*>;
  const std::lock_guard<std::mutex> lock(mutex);
  if (auto found = contexts.find(cafile); found != contexts.end()) return found->second;

  SSL_CTX* context = SSL_CTX_new(TLS_client_method());
  if (context == nullptr) fail(Fault::tls_setup, {"cannot set up TLS: " + openssl_reason(), {}});
  SSL_CTX_set_min_proto_version(context, TLS1_2_VERSION);
  // SMTP frames its own replies, so a close without close_notify cannot cut a
  // reply short unnoticed; many servers close so after QUIT.
  SSL_CTX_set_options(context, SSL_OP_IGNORE_UNEXPECTED_EOF);
  const int loaded = cafile.empty() ? SSL_CTX_set_default_verify_paths(context)
                                    : SSL_CTX_load_verify_locations(context, cafile.c_str(), nullptr);
  if (loaded != 1) {
    const std::string reason = openssl_reason();
    SSL_CTX_free(context);
    if (cafile.empty()) fail(Fault::tls_setup, {"cannot load the system CA store: " + reason, {}});
    fail(Fault::tls_setup, {"cannot load the CA file " + cafile + " (" + reason + ")",
                            "check the path and that it holds PEM certificates"});
  }
  contexts.emplace(cafile, context);
  return context;
}

bool is_ip_literal(const std::string& host) {
  unsigned char address[sizeof(in6_addr)];
  return inet_pton(AF_INET, host.c_str(), address) == 1 || inet_pton(AF_INET6, host.c_str(), address) == 1;
}

std::string name_text(const X509_NAME* name) {
  BIO* memory = BIO_new(BIO_s_mem());
  if (memory == nullptr) return {};
  X509_NAME_print_ex(memory, name, 0, (XN_FLAG_ONELINE & ~ASN1_STRFLGS_ESC_MSB) | ASN1_STRFLGS_UTF8_CONVERT);
  char* text = nullptr;
  const long length = BIO_get_mem_data(memory, &text);
  std::string result(text, static_cast<size_t>(length));
  BIO_free(memory);
  return result;
}

// "2027-03-01T12:00:00Z" (ISO 8601, UTC).
std::string time_text(const ASN1_TIME* time) {
  std::tm parts{};
  if (time == nullptr || ASN1_TIME_to_tm(time, &parts) != 1) return {};
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &parts);
  return text;
}

// The names a certificate is for: its DNS and IP subjectAltNames, or the
// common name when it has none; a few, for a message.
std::string certificate_names(X509* certificate) {
  std::vector<std::string> names;
  auto* alternatives =
      static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(certificate, NID_subject_alt_name, nullptr, nullptr));
  for (int i = 0; i < sk_GENERAL_NAME_num(alternatives); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(alternatives, i);
    if (name->type == GEN_DNS) {
      const ASN1_STRING* dns = name->d.dNSName;
      names.emplace_back(reinterpret_cast<const char*>(ASN1_STRING_get0_data(dns)),
                         static_cast<size_t>(ASN1_STRING_length(dns)));
    } else if (name->type == GEN_IPADD) {
      const ASN1_OCTET_STRING* ip = name->d.iPAddress;
      const int family = ASN1_STRING_length(ip) == 4 ? AF_INET : AF_INET6;
      if (ASN1_STRING_length(ip) == 4 || ASN1_STRING_length(ip) == 16) {
        char text[INET6_ADDRSTRLEN] = "";
        inet_ntop(family, ASN1_STRING_get0_data(ip), text, sizeof text);
        names.emplace_back(text);
      }
    }
  }
  GENERAL_NAMES_free(alternatives);
  if (names.empty()) {
    const X509_NAME* subject = X509_get_subject_name(certificate);
    const int index = X509_NAME_get_index_by_NID(subject, NID_commonName, -1);
    const X509_NAME_ENTRY* entry = X509_NAME_get_entry(subject, index);
    const ASN1_STRING* common_name = entry ? X509_NAME_ENTRY_get_data(entry) : nullptr;
    if (common_name != nullptr) {
      names.emplace_back(reinterpret_cast<const char*>(ASN1_STRING_get0_data(common_name)),
                         static_cast<size_t>(ASN1_STRING_length(common_name)));
    }
  }
  constexpr size_t shown = 5;
  std::string text;
  for (size_t i = 0; i < names.size() && i < shown; ++i) text += (i ? ", " : "") + names[i];
  if (names.size() > shown) text += " and " + std::to_string(names.size() - shown) + " more";
  return text.empty() ? "no names" : text;
}

// Why the certificate was refused, and what the user can do about it.
Explanation verify_failure(long result, X509* certificate, const std::string& host) {
  const std::string reason = X509_verify_cert_error_string(result);
  switch (result) {
    case X509_V_ERR_HOSTNAME_MISMATCH:
    case X509_V_ERR_IP_ADDRESS_MISMATCH:
      return {"the certificate of " + host + " is for other names (" +
                  (certificate ? certificate_names(certificate) : std::string("unknown")) + ")",
              "check the host name, or connect with one of those names"};
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
      return {reason + ": the CA of " + host + "'s certificate is not trusted",
              "set cafile to its CA, or tls_verify => false only for testing"};
    case X509_V_ERR_CERT_HAS_EXPIRED:
      return {"the certificate of " + host + " expired on " +
                  (certificate ? time_text(X509_get0_notAfter(certificate)) : std::string("an unknown date")),
              "its administrator must renew it; tls_verify => false only for testing"};
    case X509_V_ERR_CERT_NOT_YET_VALID:
      return {"the certificate of " + host + " is not valid yet", "check this machine's clock"};
    default:
      return {"the certificate of " + host + " was refused (" + reason + ")",
              "set cafile to the server's CA, or tls_verify => false only for testing"};
  }
}

// Why a handshake failed for a reason other than the certificate.
Explanation handshake_failure(int error, const std::string& host) {
  if (error == SSL_ERROR_SYSCALL || error == SSL_ERROR_ZERO_RETURN) {
    const int cause = errno;
    return {"the connection to " + host + " was lost during the TLS handshake" +
                (cause != 0 ? std::string(" (") + std::strerror(cause) + ")" : std::string()),
            "the port may not speak TLS (implicit TLS is on 465, STARTTLS on 587 and 25)"};
  }
  switch (ERR_GET_REASON(ERR_peek_last_error())) {
    case SSL_R_WRONG_VERSION_NUMBER:
    case SSL_R_PACKET_LENGTH_TOO_LONG:
    case SSL_R_RECORD_LENGTH_MISMATCH:
      return {host + " did not answer in TLS", "use implicit TLS on 465 and STARTTLS on 587 and 25"};
    case SSL_R_UNSUPPORTED_PROTOCOL:
    case SSL_R_TLSV1_ALERT_PROTOCOL_VERSION:
    case SSL_R_NO_PROTOCOLS_AVAILABLE:
      return {host + " offers no TLS version from 1.2 on, and older ones are not safe",
              "its software needs an update"};
    default:
      return {"the TLS handshake with " + host + " failed: " + openssl_reason(), {}};
  }
}

// Waits as OpenSSL asked; false when the deadline passed first.
bool wait_as_asked(int error, const Socket& socket, Deadline deadline) {
  return error == SSL_ERROR_WANT_WRITE ? socket.wait_writable(deadline) : socket.wait_readable(deadline);
}

// Read and write failures on an established channel. A broken record or an
// alert mid-session is a lost connection like a reset: a new one may well work.
[[noreturn]] void fail_io(int error, const char* doing) {
  if (error == SSL_ERROR_SYSCALL) {
    const int cause = errno;
    fail(Fault::lost,
         {std::string("the connection to the server was lost while ") + doing +
              (cause != 0 ? std::string(": ") + std::strerror(cause) : std::string()),
          {}},
         cause);
  }
  fail(Fault::lost, {std::string("TLS failed while ") + doing + ": " + openssl_reason(), {}});
}

}  // namespace

struct TlsChannel::Handle {
  struct Free {
    void operator()(SSL* ssl) const {
      // Freeing sends nothing; quiet shutdown makes sure of it after fork().
      SSL_set_quiet_shutdown(ssl, 1);
      SSL_free(ssl);
    }
    void operator()(X509* certificate) const { X509_free(certificate); }
  };
  std::unique_ptr<SSL, Free> ssl;
  // The server's certificate as the verifier saw it: after a failed handshake
  // OpenSSL keeps no peer certificate, yet the message should name its names.
  std::unique_ptr<X509, Free> refused_certificate;

  static int remember_refused(int preverify_ok, X509_STORE_CTX* store) {
    auto* ssl = static_cast<SSL*>(X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx()));
    auto* handle = ssl != nullptr ? static_cast<Handle*>(SSL_get_app_data(ssl)) : nullptr;
    X509* leaf = X509_STORE_CTX_get0_cert(store);
    if (!preverify_ok && handle != nullptr && leaf != nullptr && !handle->refused_certificate) {
      X509_up_ref(leaf);
      handle->refused_certificate.reset(leaf);
    }
    return preverify_ok;
  }
};

TlsChannel::~TlsChannel() = default;

std::unique_ptr<TlsChannel> TlsChannel::handshake(Socket& socket, const TlsSettings& settings,
                                                  Deadline deadline) {
  const std::string& host = settings.server_name;
  ERR_clear_error();
  SSL_CTX* context = context_for(settings.cafile);

  // The constructor is private: make_unique cannot reach it.
  std::unique_ptr<TlsChannel> channel(new TlsChannel);
  channel->handle_ = std::make_unique<Handle>();
  channel->handle_->ssl.reset(SSL_new(context));
  SSL* ssl = channel->handle_->ssl.get();
  BIO* bio = ssl != nullptr && socket_method() != nullptr ? BIO_new(socket_method()) : nullptr;
  if (bio == nullptr) fail(Fault::tls_setup, {"cannot set up TLS: " + openssl_reason(), {}});
  BIO_set_data(bio, reinterpret_cast<void*>(static_cast<intptr_t>(socket.fd())));
  BIO_set_init(bio, 1);
  SSL_set_bio(ssl, bio, bio);  // one reference, now owned by `ssl`
  SSL_set_connect_state(ssl);

  SSL_set_app_data(ssl, channel->handle_.get());
  SSL_set_verify(ssl, settings.verify ? SSL_VERIFY_PEER : SSL_VERIFY_NONE, Handle::remember_refused);
  // The name is checked even without verification, so TlsInfo can still say
  // what verification would have found (smtpx_probe() reports it).
  if (!host.empty()) {
    // Each call can fail (memory, a name OpenSSL will not take); carrying on
    // would verify the chain but not the name, so a failure ends the handshake.
    bool named;
    if (is_ip_literal(host)) {
      // RFC 6066 3: SNI carries host names only, never addresses.
      named = X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host.c_str()) == 1;
    } else {
      SSL_set_hostflags(ssl, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
      named = SSL_set_tlsext_host_name(ssl, host.c_str()) == 1 && SSL_set1_host(ssl, host.c_str()) == 1;
    }
    if (!named) {
      fail(Fault::tls_setup, {"cannot check the certificate against the name " + printable(host) + " (" +
                                  openssl_reason() + ")",
                              "check the host name"});
    }
  }

  for (;;) {
    ERR_clear_error();
    errno = 0;
    const int done = SSL_connect(ssl);
    if (done == 1) break;
    const int error = SSL_get_error(ssl, done);
    if (error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE) {
      if (wait_as_asked(error, socket, deadline)) continue;
      fail(Fault::timeout, {"the TLS handshake with " + host + " did not finish in time",
                            "the server may be overloaded, or the port may not speak TLS"});
    }
    const long verify_result = SSL_get_verify_result(ssl);
    if (settings.verify && verify_result != X509_V_OK) {
      X509* certificate = channel->handle_->refused_certificate.get();
      fail(Fault::tls_untrusted, verify_failure(verify_result, certificate, host));
    }
    // A connection cut during the handshake is a network blip like a reset at
    // any other moment (the fault soak met it 77 times in 5,000 sends); a
    // server that answers something other than TLS is refused for good.
    const bool cut = error == SSL_ERROR_SYSCALL || error == SSL_ERROR_ZERO_RETURN;
    fail(cut ? Fault::lost : Fault::tls_refused, handshake_failure(error, host));
  }

  TlsInfo& established = channel->info_;
  established.version = SSL_get_version(ssl);
  established.cipher = SSL_get_cipher_name(ssl);
  X509* certificate = SSL_get0_peer_certificate(ssl);
  const long verify_result = SSL_get_verify_result(ssl);
  if (certificate != nullptr) {
    established.subject = name_text(X509_get_subject_name(certificate));
    established.issuer = name_text(X509_get_issuer_name(certificate));
    established.not_after = time_text(X509_get0_notAfter(certificate));
  }
  established.verified = certificate != nullptr && verify_result == X509_V_OK;
  if (certificate == nullptr) {
    established.verify_error = "the server sent no certificate";
  } else if (verify_result != X509_V_OK) {
    established.verify_error = X509_verify_cert_error_string(verify_result);
  }
  channel->handle_->refused_certificate.reset();
  ERR_clear_error();
  return channel;
}

size_t TlsChannel::read(const Socket& socket, char* buffer, size_t size, Deadline deadline) {
  SSL* ssl = handle_->ssl.get();
  for (;;) {
    ERR_clear_error();
    errno = 0;
    size_t received = 0;
    const int done = SSL_read_ex(ssl, buffer, size, &received);
    if (done == 1) return received;
    const int error = SSL_get_error(ssl, done);
    if (error == SSL_ERROR_ZERO_RETURN) {
      ERR_clear_error();
      return 0;
    }
    if (error != SSL_ERROR_WANT_READ && error != SSL_ERROR_WANT_WRITE) fail_io(error, "reading");
    if (!wait_as_asked(error, socket, deadline)) {
      fail(Fault::timeout, {"the server did not answer in time", {}});
    }
  }
}

void TlsChannel::write(const Socket& socket, const char* data, size_t size, Deadline deadline) {
  SSL* ssl = handle_->ssl.get();
  // Without SSL_MODE_ENABLE_PARTIAL_WRITE, SSL_write_ex succeeds only once all
  // of `size` is written, and a retry must pass the same buffer again.
  for (;;) {
    ERR_clear_error();
    errno = 0;
    size_t written = 0;
    const int done = SSL_write_ex(ssl, data, size, &written);
    if (done == 1) return;
    const int error = SSL_get_error(ssl, done);
    if (error != SSL_ERROR_WANT_READ && error != SSL_ERROR_WANT_WRITE) fail_io(error, "sending");
    if (!wait_as_asked(error, socket, deadline)) {
      fail(Fault::timeout, {"the server did not take the data in time", {}});
    }
  }
}

bool TlsChannel::has_pending() const {
  return SSL_pending(handle_->ssl.get()) > 0;
}

bool TlsChannel::peer_idle() {
  SSL* ssl = handle_->ssl.get();
  ERR_clear_error();
  char byte;
  size_t peeked = 0;
  // The socket is non-blocking: this processes whatever records arrived and
  // stops at WANT_READ when none of them carried data.
  const int done = SSL_peek_ex(ssl, &byte, 1, &peeked);
  const bool idle = done != 1 && SSL_get_error(ssl, done) == SSL_ERROR_WANT_READ;
  ERR_clear_error();
  return idle;
}

void TlsChannel::shutdown(Socket&) {
  // RFC 8446 6.1: close_notify; waiting for the peer's would only cost time.
  ERR_clear_error();
  SSL_shutdown(handle_->ssl.get());
  ERR_clear_error();
}

}  // namespace smtpx::net
