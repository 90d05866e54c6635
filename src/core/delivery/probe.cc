#include "probe.h"

#include <algorithm>
#include <future>
#include <iterator>

#include "../error.h"
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
  return report;
}

}  // namespace smtpx::delivery
