#include "probe.h"

#include <algorithm>
#include <future>
#include <iterator>

#include "../error.h"
#include "../http/https_client.h"
#include "../net/network_error.h"
#include "../smtp/session.h"

namespace smtpx::delivery {

namespace {

// What the session learnt before it finished or failed.
void record(const smtp::Session& session, PortProbe& report) {
  if (session.greeting().code != 0) report.greeting = session.greeting().text();
  report.extensions = session.capabilities().keywords;
  report.auth = session.capabilities().auth;
  if (const net::TlsInfo* info = session.tls_info()) report.tls = *info;
}

// The certificate of a port whose verification failed: a second handshake that
// does not verify, only to show what the server presents (TlsInfo still says
// whether and why it does not verify). No credentials go to that session.
std::optional<net::TlsInfo> unverified_look(const Transport& transport, PortChoice choice) {
  smtp::SessionSettings settings = transport.session_settings(choice);
  settings.tls_settings.verify = false;
  settings.credentials = {};
  smtp::Session session(settings);
  std::optional<net::TlsInfo> info;
  try {
    session.open(net::Deadline::in(transport.connect_timeout + transport.reply_timeout));
    if (const net::TlsInfo* found = session.tls_info()) info = *found;
  } catch (const SmtpError&) {
    // The verified attempt's error already says what failed.
  }
  session.quit();
  return info;
}

// Whether the port speaks the other TLS mode: a silent port (no greeting in
// clear text) that completes a TLS handshake and greets inside it expects
// implicit TLS; a port that answers a TLS handshake with a clear-text greeting
// speaks STARTTLS. Nothing but a greeting, EHLO and QUIT goes to it.
std::optional<PortChoice> other_tls_mode(const Transport& transport, PortChoice choice,
                                         const SmtpFailure& failure) {
  const bool silent = choice.tls == smtp::TlsMode::starttls && failure.phase == Phase::greeting &&
                      failure.kind == ErrorKind::timeout;
  const bool not_tls = choice.tls == smtp::TlsMode::implicit && failure.phase == Phase::tls &&
                       failure.kind == ErrorKind::tls && failure.smtp_code == 0;
  if (!silent && !not_tls) return std::nullopt;
  const PortChoice other{choice.port, silent ? smtp::TlsMode::implicit : smtp::TlsMode::starttls};
  smtp::SessionSettings settings = transport.session_settings(other);
  settings.credentials = {};
  smtp::Session session(settings);
  bool greets = false;
  try {
    session.open(net::Deadline::in(transport.connect_timeout + transport.reply_timeout));
    greets = true;
  } catch (const SmtpError&) {
    // A greeting inside TLS, even if EHLO or verification failed later, tells the mode.
    greets = session.greeting().code == 220;
  }
  session.quit();
  if (!greets) return std::nullopt;
  return other;
}

ApiProbe probe_api(const Transport& transport) {
  ApiProbe report;
  report.transport = transport.api.name + "+api";
  // Only the host is reached: nothing is POSTed.
  http::Request request;
  request.url = api::base_url_of(transport.api);
  request.cafile = transport.cafile;
  request.verify = transport.tls_verify;
  request.connect_timeout = transport.connect_timeout;
  report.url = request.url;
  const net::Clock::time_point started = net::Clock::now();
  try {
    report.tls = http::reach(request, net::Deadline::in(transport.connect_timeout));
    report.reachable = true;
  } catch (const http::TransferError& error) {
    report.error = error.what();
  }
  report.seconds = std::chrono::duration<double>(net::Clock::now() - started).count();
  return report;
}

PortProbe probe_port(const Transport& transport, PortChoice choice) {
  PortProbe report;
  report.choice = choice;
  const net::Deadline deadline = net::Deadline::in(transport.timeout);
  const net::Clock::time_point started = net::Clock::now();
  net::Socket socket;
  try {
    socket = net::Socket::connect(transport.host, choice.port,
                                  deadline.earliest(net::Deadline::in(transport.connect_timeout)));
  } catch (const net::NetworkError& error) {
    report.failed_phase = phase_name(Phase::connect);
    report.error = error.what();
    return report;
  }
  report.connected = true;
  report.connect_seconds = std::chrono::duration<double>(net::Clock::now() - started).count();
  report.ip = socket.peer_ip();

  smtp::Session session(transport.session_settings(choice));
  bool verification_failed = false;
  try {
    session.open_on(std::move(socket), deadline);
    report.usable = true;
    if (!transport.credentials.empty()) report.auth_succeeded = true;
  } catch (const SmtpError& error) {
    const SmtpFailure& failure = error.failure();
    report.failed_phase = phase_name(failure.phase);
    report.error = error.what();
    if (failure.kind == ErrorKind::auth && failure.smtp_code != 0) report.auth_succeeded = false;
    verification_failed =
        failure.kind == ErrorKind::tls && failure.phase == Phase::tls && transport.tls_verify;
    if (const std::optional<PortChoice> other = other_tls_mode(transport, choice, failure)) {
      const std::string port = std::to_string(choice.port);
      report.error =
          other->tls == smtp::TlsMode::implicit
              ? "this port expects implicit TLS (it says nothing in clear text and greets after a TLS "
                "handshake): use " +
                    port + "/tls"
              : "this port speaks STARTTLS (it greets in clear text): use " + port + "/starttls";
      report.other_tls_mode = other;
      verification_failed = false;
    }
  }
  record(session, report);
  session.quit();
  if (!report.tls && verification_failed) report.tls = unverified_look(transport, choice);
  return report;
}

}  // namespace

ProbeReport probe(const Transport& transport) {
  transport.validate();
  ProbeReport report;
  const std::shared_ptr<const Transport> implied = provider_api_fallback(transport);
  const Transport* api = !transport.api.empty()                                   ? &transport
                         : transport.fallback && !transport.fallback->api.empty() ? transport.fallback.get()
                                                                                  : implied.get();
  std::future<ApiProbe> api_probe;
  if (api != nullptr) api_probe = std::async(std::launch::async, probe_api, std::cref(*api));
  if (!transport.api.empty()) {
    report.host = transport.api.name;
    report.api = api_probe.get();
    return report;
  }
  report.host = transport.host;
  const std::vector<PortChoice> plan = transport.port_plan();
  std::vector<std::future<PortProbe>> running;
  std::transform(plan.begin(), plan.end(), std::back_inserter(running), [&](const PortChoice& choice) {
    return std::async(std::launch::async, probe_port, std::cref(transport), choice);
  });
  for (std::future<PortProbe>& each : running) {
    report.ports.push_back(each.get());
    if (!report.recommended && report.ports.back().usable) report.recommended = report.ports.back().choice;
  }
  if (api_probe.valid()) report.api = api_probe.get();
  return report;
}

}  // namespace smtpx::delivery
