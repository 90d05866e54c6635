#include "https_client.h"

#include <curl/curl.h>
#include <openssl/ssl.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <memory>
#include <mutex>

#include "../net/process_owner.h"
#include "../text/ascii.h"

namespace smtpx::http {

namespace {

// No provider answers a send with more than a few KiB; more is not an API answer.
constexpr size_t kMaxResponseBytes = 1 << 20;
// Like the SMTP pool's idle limit: below the providers' keep-alive timeouts.
constexpr long kMaxIdleSeconds = 30;

// curl_global_init is not thread-safe before libcurl 7.84; once per process.
void init_libcurl() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

// One easy handle per thread, kept between requests: its connection cache,
// DNS cache and TLS sessions are what make the next request warm. After a
// fork() the child opens its own: cleaning up the parent's would end the
// parent's TLS sessions on the shared sockets, so it is left as it is.
CURL* handle_for_this_process() {
  struct Kept {
    CURL* easy = nullptr;
    net::ProcessOwner owner;
  };
  thread_local Kept kept;
  if (kept.owner.take()) kept.easy = nullptr;
  if (kept.easy == nullptr) {
    init_libcurl();
    kept.easy = curl_easy_init();
  }
  if (kept.easy != nullptr) curl_easy_reset(kept.easy);
  return kept.easy;
}

// reach()'s handshake, told by OpenSSL as it ends: libcurl detaches a
// connect-only connection from its handle once connected, so after
// curl_easy_perform() CURLINFO_TLS_SSL_PTR has nothing to tell.
void note_handshake(const SSL* ssl, int where, int) {
  if ((where & SSL_CB_HANDSHAKE_DONE) == 0) return;
  auto* version = static_cast<std::string*>(SSL_CTX_get_app_data(SSL_get_SSL_CTX(ssl)));
  if (version != nullptr) *version = SSL_get_version(ssl);
}

CURLcode watch_handshake(CURL*, void* ssl_ctx, void* version) {
  SSL_CTX_set_app_data(static_cast<SSL_CTX*>(ssl_ctx), version);
  SSL_CTX_set_info_callback(static_cast<SSL_CTX*>(ssl_ctx), note_handshake);
  return CURLE_OK;
}

struct Collected {
  CURL* easy = nullptr;
  Response response;
  bool too_large = false;
};

// Asked while the response arrives: after the transfer, libcurl may have
// closed the connection and freed its TLS state.
std::string tls_version_of(CURL* easy) {
  curl_tlssessioninfo* tls = nullptr;
  if (curl_easy_getinfo(easy, CURLINFO_TLS_SSL_PTR, &tls) != CURLE_OK || tls == nullptr ||
      tls->backend != CURLSSLBACKEND_OPENSSL || tls->internals == nullptr)
    return {};
  return SSL_get_version(static_cast<SSL*>(tls->internals));
}

// The body, read by libcurl as it sends. On a kept connection that dies
// without an answer, libcurl sends the request again on a new one, and to do
// so it rewinds the body: refused once the whole body was read, because the
// provider may have taken the message from the first request. The transfer
// then fails (CURLE_SEND_FAIL_REWIND) as an unknown outcome, never a duplicate.
struct Upload {
  const std::string* body = nullptr;
  size_t sent = 0;
};

size_t give_body(char* buffer, size_t size, size_t count, void* user) {
  auto* upload = static_cast<Upload*>(user);
  const size_t bytes = std::min(size * count, upload->body->size() - upload->sent);
  std::memcpy(buffer, upload->body->data() + upload->sent, bytes);
  upload->sent += bytes;
  return bytes;
}

int rewind_body(void* user, curl_off_t offset, int origin) {
  auto* upload = static_cast<Upload*>(user);
  if (upload->sent == upload->body->size() && !upload->body->empty()) return CURL_SEEKFUNC_FAIL;
  if (origin != SEEK_SET || offset < 0 || static_cast<size_t>(offset) > upload->body->size())
    return CURL_SEEKFUNC_CANTSEEK;
  upload->sent = static_cast<size_t>(offset);
  return CURL_SEEKFUNC_OK;
}

size_t take_body(char* data, size_t size, size_t count, void* user) {
  auto* collected = static_cast<Collected*>(user);
  const size_t bytes = size * count;
  if (collected->response.body.size() + bytes > kMaxResponseBytes) {
    collected->too_large = true;
    return 0;  // libcurl ends the transfer (CURLE_WRITE_ERROR)
  }
  collected->response.body.append(data, bytes);
  return bytes;
}

std::string trimmed(std::string text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
  size_t start = 0;
  while (start < text.size() && std::isspace(static_cast<unsigned char>(text[start]))) ++start;
  return text.substr(start);
}

size_t take_header(char* data, size_t size, size_t count, void* user) {
  auto* collected = static_cast<Collected*>(user);
  const size_t bytes = size * count;
  const std::string line(data, bytes);
  if (line.compare(0, 5, "HTTP/") == 0) {
    // A new status line (after a 100 Continue, say): the headers before it were another response's.
    collected->response.headers.clear();
    collected->response.http_version = line.substr(0, line.find(' '));
    collected->response.tls_version = tls_version_of(collected->easy);
    return bytes;
  }
  const size_t colon = line.find(':');
  if (colon == std::string::npos) return bytes;
  collected->response.headers.emplace_back(text::to_lower(std::string_view(line).substr(0, colon)),
                                           trimmed(line.substr(colon + 1)));
  return bytes;
}

struct Headers {
  curl_slist* list = nullptr;
  ~Headers() { curl_slist_free_all(list); }
  void add(const std::string& header) {
    curl_slist* grown = curl_slist_append(list, header.c_str());
    if (grown == nullptr) throw std::bad_alloc();
    list = grown;
  }
};

long milliseconds_left(net::Deadline deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline.at - net::Clock::now());
  return std::max<long>(1, static_cast<long>(left.count()));
}

[[noreturn]] void fail(CURLcode code, CURL* easy, const char* detail, const Request& request,
                       bool too_large) {
  const std::string host = authority_of(request.url);
  curl_off_t uploaded = 0;
  curl_easy_getinfo(easy, CURLINFO_SIZE_UPLOAD_T, &uploaded);
  const bool request_sent = code == CURLE_SEND_FAIL_REWIND ||
                            (static_cast<size_t>(uploaded) >= request.body.size() &&
                             (code == CURLE_OPERATION_TIMEDOUT || code == CURLE_RECV_ERROR ||
                              code == CURLE_GOT_NOTHING || code == CURLE_PARTIAL_FILE || too_large));
  const std::string why = detail[0] != '\0' ? detail : curl_easy_strerror(code);
  long os_errno = 0;
  curl_easy_getinfo(easy, CURLINFO_OS_ERRNO, &os_errno);
  switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
      throw TransferError(net::Fault::unresolved, "cannot resolve " + host + " (" + why + ")",
                          "check the host name, and HTTPS_PROXY when a proxy is set", false);
    case CURLE_COULDNT_CONNECT:
      throw TransferError(os_errno == ECONNREFUSED ? net::Fault::refused : net::Fault::unreachable,
                          "cannot connect to " + host + " (" + why + ")",
                          "check this machine's network, or the proxy (HTTPS_PROXY)", false);
    case CURLE_OPERATION_TIMEDOUT:
      throw TransferError(net::Fault::timeout, "no complete answer from " + host + " in time (" + why + ")",
                          request_sent ? "" : "port 443 may be blocked by a firewall, or the API is slow",
                          request_sent);
    case CURLE_PEER_FAILED_VERIFICATION:
      throw TransferError(net::Fault::tls_untrusted,
                          "the certificate of " + host + " was refused (" + why + ")",
                          "set cafile to its CA when a proxy or a test server presents its own", false);
    case CURLE_SSL_CACERT_BADFILE:
      throw TransferError(net::Fault::tls_setup,
                          "cannot load the CA file " + request.cafile + " (" + why + ")",
                          "check the path and that it holds PEM certificates", false);
    case CURLE_SSL_CONNECT_ERROR:
      throw TransferError(net::Fault::tls_refused, "the TLS handshake with " + host + " failed (" + why + ")",
                          "", false);
    case CURLE_UNSUPPORTED_PROTOCOL:
      throw TransferError(net::Fault::tls_refused, "refusing " + request.url + " (" + why + ")",
                          "API endpoints must be https://", false);
    default:
      break;
  }
  if (too_large)
    throw TransferError(net::Fault::lost,
                        "the answer of " + host + " is larger than any API answer (over 1 MiB)", "",
                        request_sent);
  if (code == CURLE_SEND_FAIL_REWIND)
    throw TransferError(net::Fault::closed,
                        host + " closed the connection after the whole request, without an answer", "", true);
  if (code == CURLE_GOT_NOTHING)
    throw TransferError(net::Fault::closed, host + " closed the connection without an answer", "",
                        request_sent);
  throw TransferError(net::Fault::lost, "the HTTPS request to " + host + " failed (" + why + ")", "",
                      request_sent);
}

}  // namespace

std::string authority_of(const std::string& url) {
  const size_t start = url.find("://");
  const size_t from = start == std::string::npos ? 0 : start + 3;
  return url.substr(from, url.find('/', from) - from);
}

std::string Response::header(const std::string& lower_case_name) const {
  for (const auto& [name, value] : headers)
    if (name == lower_case_name) return value;
  return {};
}

Response post(const Request& request, net::Deadline deadline) {
  CURL* easy = handle_for_this_process();
  if (easy == nullptr) throw TransferError(net::Fault::tls_setup, "cannot set up libcurl", "", false);
  Collected collected;
  collected.easy = easy;
  Headers headers;
  for (const std::string& header : request.headers) headers.add(header);
  // No "Expect: 100-continue": it costs a round trip before the body.
  headers.add("Expect:");
  char error[CURL_ERROR_SIZE] = "";

  curl_easy_setopt(easy, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "https");
  curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(easy, CURLOPT_POST, 1L);
  Upload upload{&request.body, 0};
  curl_easy_setopt(easy, CURLOPT_READFUNCTION, give_body);
  curl_easy_setopt(easy, CURLOPT_READDATA, &upload);
  curl_easy_setopt(easy, CURLOPT_SEEKFUNCTION, rewind_body);
  curl_easy_setopt(easy, CURLOPT_SEEKDATA, &upload);
  curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers.list);
  curl_easy_setopt(easy, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_2TLS));
  curl_easy_setopt(easy, CURLOPT_SSLVERSION, static_cast<long>(CURL_SSLVERSION_TLSv1_2));
  curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, request.verify ? 1L : 0L);
  curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, request.verify ? 2L : 0L);
  if (!request.cafile.empty()) curl_easy_setopt(easy, CURLOPT_CAINFO, request.cafile.c_str());
  curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS,
                   std::min(milliseconds_left(deadline), static_cast<long>(request.connect_timeout * 1000)));
  curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, milliseconds_left(deadline));
  curl_easy_setopt(easy, CURLOPT_MAXAGE_CONN, kMaxIdleSeconds);
  // No SIGALRM for DNS timeouts: signals belong to PHP.
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy, CURLOPT_TCP_NODELAY, 1L);
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, take_body);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, &collected);
  curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, take_header);
  curl_easy_setopt(easy, CURLOPT_HEADERDATA, &collected);
  curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, error);

  const CURLcode code = curl_easy_perform(easy);
  // The handle outlives this call: it must not keep pointers into this frame.
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, nullptr);
  curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, nullptr);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, nullptr);
  curl_easy_setopt(easy, CURLOPT_HEADERDATA, nullptr);
  curl_easy_setopt(easy, CURLOPT_READDATA, nullptr);
  curl_easy_setopt(easy, CURLOPT_SEEKDATA, nullptr);
  if (code != CURLE_OK) fail(code, easy, error, request, collected.too_large);
  curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &collected.response.status);
  long new_connections = 0;
  curl_easy_getinfo(easy, CURLINFO_NUM_CONNECTS, &new_connections);
  collected.response.reused = new_connections == 0;
  return std::move(collected.response);
}

std::string reach(const Request& request, net::Deadline deadline) {
  init_libcurl();
  // Before the handle, which points to it until it is cleaned up.
  std::string tls_version;
  // A handle of its own: a connect-only connection is not one to keep for requests.
  std::unique_ptr<CURL, void (*)(CURL*)> easy(curl_easy_init(), curl_easy_cleanup);
  if (!easy) throw TransferError(net::Fault::tls_setup, "cannot set up libcurl", "", false);
  char error[CURL_ERROR_SIZE] = "";
  curl_easy_setopt(easy.get(), CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(easy.get(), CURLOPT_PROTOCOLS_STR, "https");
  curl_easy_setopt(easy.get(), CURLOPT_CONNECT_ONLY, 1L);
  curl_easy_setopt(easy.get(), CURLOPT_SSLVERSION, static_cast<long>(CURL_SSLVERSION_TLSv1_2));
  curl_easy_setopt(easy.get(), CURLOPT_SSL_VERIFYPEER, request.verify ? 1L : 0L);
  curl_easy_setopt(easy.get(), CURLOPT_SSL_VERIFYHOST, request.verify ? 2L : 0L);
  if (!request.cafile.empty()) curl_easy_setopt(easy.get(), CURLOPT_CAINFO, request.cafile.c_str());
  curl_easy_setopt(easy.get(), CURLOPT_CONNECTTIMEOUT_MS,
                   std::min(milliseconds_left(deadline), static_cast<long>(request.connect_timeout * 1000)));
  curl_easy_setopt(easy.get(), CURLOPT_TIMEOUT_MS, milliseconds_left(deadline));
  curl_easy_setopt(easy.get(), CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy.get(), CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(easy.get(), CURLOPT_SSL_CTX_FUNCTION, watch_handshake);
  curl_easy_setopt(easy.get(), CURLOPT_SSL_CTX_DATA, &tls_version);
  const CURLcode code = curl_easy_perform(easy.get());
  if (code != CURLE_OK) fail(code, easy.get(), error, request, false);
  return tls_version;
}

}  // namespace smtpx::http
