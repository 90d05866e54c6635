// "Which port should I use here?", answered by measuring: for each port of the
// plan, whether TCP connects and how fast, the greeting, TLS (version, cipher,
// certificate and whether it verifies), the EHLO capabilities, the AUTH
// mechanisms and, given credentials, whether AUTH succeeds. Then the port a
// send should use: the first of the plan where every step passed.
//
// Promises: the ports are probed at the same time (one thread each, joined
// before returning), so blocked ports cost one connect timeout, not one each;
// every session is a full Session with the transport's TLS settings, so a
// port is recommended only if a send would work there; nothing is sent but
// EHLO, STARTTLS, AUTH and QUIT.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "../net/tls.h"
#include "transport.h"

namespace smtpx::delivery {

struct PortProbe {
  PortChoice choice;
  bool connected = false;
  double connect_seconds = 0;  // the TCP handshake
  std::string ip;
  std::string greeting;                 // the server's 220 line(s), as read
  std::optional<net::TlsInfo> tls;      // also when verification failed (from a second, unverified look)
  std::vector<std::string> extensions;  // EHLO keywords, after STARTTLS when there was one
  std::vector<std::string> auth;        // AUTH mechanisms offered
  std::optional<bool> auth_succeeded;   // only with credentials, once AUTH was tried
  bool usable = false;                  // a send with this transport would work on this port
  std::string failed_phase;             // "connect", "tls", "auth", ...; empty when usable
  std::string error;                    // what went wrong and what to do, empty when usable
  std::optional<PortChoice>
      other_tls_mode;  // the port works in the other TLS mode: "465/tls" probed as STARTTLS
};

// The HTTPS API a send would use, given or as the fallback: reachable or not.
struct ApiProbe {
  std::string transport;  // "sendgrid+api"
  std::string url;
  bool reachable = false;
  double seconds = 0;
  std::string tls;    // "TLSv1.3" when libcurl tells it
  std::string error;  // what went wrong and what to do, empty when reachable
};

struct ProbeReport {
  std::string host;
  std::vector<PortProbe> ports;  // in the plan's order
  std::optional<PortChoice> recommended;
  std::optional<ApiProbe> api;  // when the transport is an API or falls back to one
};

// Probes every port of transport.port_plan(). Throws only InvalidInput (from
// Transport::validate); every network failure is part of the report.
ProbeReport probe(const Transport& transport);

}  // namespace smtpx::delivery
