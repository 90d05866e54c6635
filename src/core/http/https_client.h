// HTTPS requests with libcurl, for the providers' mail APIs. One libcurl
// share per process keeps connections, DNS answers and TLS sessions across
// requests (and across the requests a PHP worker serves), like the SMTP pool:
// a warm request costs one round trip. HTTP/2 where the server offers it
// (ALPN), keep-alive otherwise.
//
// Promises: https only, never a redirect; TLS 1.2 or newer, verified against
// the system store or `cafile`, with the host name checked; the response body
// is bounded (1 MiB); nothing waits past the connect timeout or the deadline;
// a proxy comes from the standard environment (HTTPS_PROXY, NO_PROXY), as
// libcurl reads it; a process that forked never uses its parent's
// connections. Failures throw TransferError.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "../net/deadline.h"
#include "../net/network_error.h"

namespace smtpx::http {

struct Request {
  std::string url;                   // https://host[:port]/path
  std::vector<std::string> headers;  // "Name: value"
  std::string body;                  // POSTed as is
  std::string cafile;                // empty: the system store
  bool verify = true;
  double connect_timeout = 10;
};

struct Response {
  long status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased, in order
  std::string body;
  std::string http_version;  // "HTTP/2", "HTTP/1.1"
  std::string tls_version;   // "TLSv1.3"
  bool reused = false;       // went out on a connection kept from an earlier request
  // The header's value, or empty.
  std::string header(const std::string& lower_case_name) const;
};

// A request that did not get a complete response. `request_sent`: the whole
// request was written first, so the provider may have accepted the message.
class TransferError : public net::NetworkError {
 public:
  TransferError(net::Fault fault, const std::string& what, std::string hint, bool request_sent)
      : NetworkError(fault, what, std::move(hint)), request_sent_(request_sent) {}
  bool request_sent() const { return request_sent_; }

 private:
  bool request_sent_;
};

// "host[:port]" of an https:// URL: what curl sends as Host (and SigV4 signs),
// and what messages name.
std::string authority_of(const std::string& url);

// POSTs `request` within `deadline`; any HTTP status is a Response.
Response post(const Request& request, net::Deadline deadline);

// Whether `request.url`'s host answers HTTPS: TCP and a verified TLS
// handshake, nothing sent over it (smtpx_probe()). Throws TransferError.
// Returns the TLS version.
std::string reach(const Request& request, net::Deadline deadline);

}  // namespace smtpx::http
