#include "session.h"

#include <unistd.h>

#include "auth.h"
#include "failure.h"

namespace smtpx::smtp {

Session::Session(SessionSettings settings) : settings_(std::move(settings)), transcript_(settings_.debug) {
  if (settings_.tls_settings.server_name.empty()) settings_.tls_settings.server_name = settings_.host;
}

// Closing without QUIT: the owner (Mailer, pool) says goodbye with quit() when it
// means to; a destructor must not block on the network.
Session::~Session() = default;

std::string Session::where() const {
  return settings_.host + ":" + std::to_string(settings_.port);
}

net::Deadline Session::reply_deadline(net::Deadline deadline) const {
  return deadline.earliest(net::Deadline::in(settings_.reply_timeout));
}

void Session::fail(SmtpFailure failure) {
  failure.host = settings_.host;
  failure.port = settings_.port;
  failure.transcript = transcript_.text();
  throw SmtpError(std::move(failure));
}

void Session::fail(ErrorKind kind, Phase phase, std::string message, std::string hint) {
  fail(refusal(kind, phase, std::move(message), std::move(hint)));
}

void Session::fail(ErrorKind kind, Phase phase, const Reply& reply, const std::string& what) {
  fail(failure_from_reply(kind, phase, reply, what, settings_.host));
}

void Session::fail_broken(SmtpFailure failure) {
  abandon();
  transcript_.note(failure.message);
  fail(std::move(failure));
}

void Session::open(net::Deadline deadline) {
  const net::Deadline connect_deadline = deadline.earliest(net::Deadline::in(settings_.connect_timeout));
  net::Socket socket;
  try {
    socket = net::Socket::connect(settings_.host, settings_.port, connect_deadline);
  } catch (const net::NetworkError& error) {
    fail_broken(failure_from_network(error, Phase::connect));
  }
  open_on(std::move(socket), deadline);
}

void Session::open_on(net::Socket socket, net::Deadline deadline, std::string_view received) {
  opened_at_ = std::chrono::steady_clock::now();
  owner_pid_ = static_cast<long>(getpid());
  reader_ = ReplyReader{};
  reader_.feed(received);
  connection_ = std::make_unique<net::Connection>(std::move(socket));
  state_ = State::opening;
  transcript_.note("connected to " + where());
  // RFC 8314 3.3: on an implicit-TLS port the handshake comes before the greeting.
  if (settings_.tls == TlsMode::implicit) handshake_tls(deadline);
  greet(deadline);
  ehlo(deadline);
  if (settings_.tls == TlsMode::starttls) {
    upgrade_by_starttls(deadline);
    ehlo(deadline);  // RFC 3207 4.2: what the server offered in clear text no longer counts
  }
  if (!settings_.credentials.empty()) authenticate(deadline);
  state_ = State::ready;
}

void Session::greet(net::Deadline deadline) {
  greeting_ = read_reply(Phase::greeting, deadline);
  if (greeting_.code != 220)
    fail(ErrorKind::connect, Phase::greeting, greeting_, where() + " refused the session");
}

std::string ehlo_name_for(const std::string& helo, const std::string& host_name,
                          const std::string& local_ip) {
  if (!helo.empty()) return helo;
  if (host_name.find('.') != std::string::npos) return host_name;
  // An IPv4-mapped IPv6 address is the IPv4 address it carries.
  constexpr std::string_view mapped = "::ffff:";
  if (local_ip.compare(0, mapped.size(), mapped) == 0 && local_ip.find('.') != std::string::npos)
    return "[" + local_ip.substr(mapped.size()) + "]";
  if (local_ip.find(':') != std::string::npos) return "[IPv6:" + local_ip + "]";
  // No local address only when the socket is gone; the old name then does no harm.
  return local_ip.empty() ? "localhost.localdomain" : "[" + local_ip + "]";
}

std::string Session::ehlo_name() const {
  char name[256] = {};
  if (gethostname(name, sizeof name - 1) != 0) name[0] = '\0';
  return ehlo_name_for(settings_.helo, name, connection_->local_ip());
}

void Session::ehlo(net::Deadline deadline) {
  const std::string name = ehlo_name();
  const Reply reply = command("EHLO " + name + "\r\n", Phase::ehlo, deadline);
  if (reply.code == 250) {
    capabilities_ = Capabilities::from_ehlo(reply);
    return;
  }
  // RFC 5321 4.1.4: a server without ESMTP refuses EHLO (500, 501, 502, 504 or 550);
  // it may still speak plain SMTP.
  if (reply.permanent() && reply.code != 554) {
    const Reply helo = command("HELO " + name + "\r\n", Phase::ehlo, deadline);
    if (helo.code != 250) fail(ErrorKind::protocol, Phase::ehlo, helo, where() + " refused HELO");
    capabilities_ = Capabilities{};
    return;
  }
  fail(ErrorKind::protocol, Phase::ehlo, reply, where() + " refused EHLO");
}

void Session::upgrade_by_starttls(net::Deadline deadline) {
  if (!capabilities_.starttls) {
    fail(ErrorKind::tls, Phase::tls,
         where() +
             " does not offer STARTTLS, so the session cannot be encrypted and smtpx will not send "
             "mail or credentials in clear text. Use port 465 (implicit TLS) or a server that offers "
             "STARTTLS; tls => 'none' is only for a trusted local server.");
  }
  const Reply reply = command("STARTTLS\r\n", Phase::tls, deadline);
  if (reply.code != 220) fail(ErrorKind::tls, Phase::tls, reply, where() + " refused STARTTLS");
  // Bytes that arrived with the 220 were sent before the handshake and would be
  // read as if they were protected (the STARTTLS command injection of CVE-2011-0411).
  if (reader_.has_buffered_bytes()) {
    fail(ErrorKind::protocol, Phase::tls,
         where() +
             " sent data between its STARTTLS reply and the TLS handshake; refusing the session "
             "because that data could have been injected by an attacker.");
  }
  handshake_tls(deadline);
}

void Session::handshake_tls(net::Deadline deadline) {
  try {
    connection_->start_tls(settings_.tls_settings,
                           deadline.earliest(net::Deadline::in(settings_.connect_timeout)));
  } catch (const net::NetworkError& error) {
    fail_broken(failure_from_network(error, Phase::tls));
  }
  reader_ = ReplyReader{};
  const net::TlsInfo& info = *connection_->tls_info();
  transcript_.note("TLS established: " + info.version + " " + info.cipher);
}

void Session::authenticate(net::Deadline deadline) {
  // Credentials travel only inside TLS, except to the caller's own machine when
  // the caller explicitly chose tls => 'none'.
  const bool allowed_in_clear = settings_.tls == TlsMode::none && connection_->peer_is_loopback();
  if (!connection_->is_tls() && !allowed_in_clear) {
    fail(ErrorKind::tls, Phase::auth,
         "refusing to send credentials to " + where() +
             " without TLS: use port 587 with STARTTLS or 465 with implicit TLS.");
  }
  if (capabilities_.auth.empty()) {
    fail(ErrorKind::auth, Phase::auth,
         where() +
             " offers no AUTH mechanism: check the port (25 is for relay between servers), "
             "or remove the user name if the server relays by IP address.");
  }
  smtp::authenticate(*this, settings_.credentials, deadline);
}

void Session::write(std::string_view bytes, Phase phase, net::Deadline deadline) {
  if (!connection_) fail(ErrorKind::protocol, phase, "the connection to " + where() + " is closed");
  try {
    connection_->write_all(bytes, deadline);
  } catch (const net::NetworkError& error) {
    fail_broken(failure_from_network(error, phase));
  }
}

void Session::send(std::string_view bytes, Phase phase, net::Deadline deadline) {
  transcript_.client(bytes);
  write(bytes, phase, deadline);
}

Reply Session::read_reply(Phase phase, net::Deadline deadline) {
  if (!connection_) fail(ErrorKind::protocol, phase, "the connection to " + where() + " is closed");
  const net::Deadline until = reply_deadline(deadline);
  std::string bytes;
  try {
    while (true) {
      if (std::optional<Reply> reply = reader_.next(phase)) {
        transcript_.server(reply->text());
        return std::move(*reply);
      }
      bytes.clear();
      connection_->read_some(bytes, until);
      reader_.feed(bytes);
    }
  } catch (const net::NetworkError& error) {
    fail_broken(failure_from_network(error, phase));
  } catch (const MalformedReply& error) {
    fail_broken(failure_from_malformed(error, phase));
  }
}

Reply Session::command(std::string_view line, Phase phase, net::Deadline deadline) {
  send(line, phase, deadline);
  return read_reply(phase, deadline);
}

void Session::reset(net::Deadline deadline) {
  // The refusal that called for RSET is what the caller reports: a server that
  // hangs up after it (RFC 5321 3.8: a 421 closes the channel; some servers do
  // after a 5xx too) must not turn it into "the server closed the connection",
  // a network failure that says a retry can help. A failed RSET only means the
  // connection cannot carry another message.
  try {
    if (command("RSET\r\n", Phase::mail, deadline).code == 250) {
      state_ = State::ready;
      return;
    }
  } catch (const SmtpError&) {
    // The connection is gone or out of step: closed below, as after a refused RSET.
  }
  abandon();
}

void Session::begin_transaction() {
  if (state_ != State::ready)
    fail(ErrorKind::protocol, Phase::mail,
         "the connection to " + where() + " is not ready for a new message");
  state_ = State::in_transaction;
}

void Session::end_transaction() {
  state_ = State::ready;
  ++transactions_;
}

void Session::quit() {
  if (!connection_) return;
  if (static_cast<long>(getpid()) != owner_pid_) {
    abandon();
    return;
  }
  // A short wait for the 221: the message is already sent and nobody should wait long for a goodbye.
  // quit() runs from destructors (~Mailer, the pool's cleanup): nothing may
  // escape it, not even bad_alloc, or the process would terminate.
  try {
    command("QUIT\r\n", Phase::quit, net::Deadline::in(1.0));
  } catch (...) {
    // The server may close first; either way the session is over.
  }
  if (connection_) connection_->close();
  connection_.reset();
  state_ = State::closed;
}

void Session::abandon() {
  if (connection_) connection_->abandon();
  connection_.reset();
  state_ = State::closed;
}

bool Session::reusable() {
  return state_ == State::ready && static_cast<long>(getpid()) == owner_pid_ &&
         !reader_.has_buffered_bytes() && connection_->idle_and_open();
}

std::optional<std::string> Session::tls_version() const {
  if (const net::TlsInfo* info = tls_info()) return info->version;
  return std::nullopt;
}

const net::TlsInfo* Session::tls_info() const {
  return connection_ ? connection_->tls_info() : nullptr;
}

}  // namespace smtpx::smtp
