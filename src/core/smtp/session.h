// One SMTP session with a submission server: connect, greeting, EHLO (HELO
// when the server has no ESMTP), STARTTLS and EHLO again, AUTH; then any number
// of transactions; then QUIT. The session knows which state it is in (State),
// so a failed step leaves a precise error and either a connection ready for the
// next message or a closed one, never one with a transaction still open.
//
// Security promises kept here: TLS before AUTH unless the caller explicitly chose
// no TLS to a loopback peer; nothing pipelined behind STARTTLS; a server that
// drops STARTTLS from its offer is refused, never silently used in clear text.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "../capabilities.h"
#include "../net/connection.h"
#include "../reply.h"
#include "transcript.h"

namespace smtpx::smtp {

enum class TlsMode { starttls, implicit, none };

// RFC 5321 4.1.4: the EHLO name is `helo` when set, else this machine's fully
// qualified name (`host_name` with a dot in it), else an address literal of the
// connection's local address: "[192.0.2.1]", "[IPv6:2001:db8::1]" (4.1.3).
std::string ehlo_name_for(const std::string& helo, const std::string& host_name, const std::string& local_ip);

struct Credentials {
  std::string username;
  std::string password;
  std::string oauth_token;  // XOAUTH2 or OAUTHBEARER when set
  // With a refresh token behind the access token: a new access token once the
  // server refused this one (it may have been revoked before it expired).
  std::function<std::string()> renew_oauth_token;
  bool empty() const { return username.empty() && password.empty() && oauth_token.empty(); }
};

struct SessionSettings {
  std::string host;
  uint16_t port = 587;
  TlsMode tls = TlsMode::starttls;
  net::TlsSettings tls_settings;  // server_name filled from host when empty
  Credentials credentials;
  std::string helo;  // EHLO name; the machine's host name when empty
  double connect_timeout = 10;
  double reply_timeout = 30;
  bool debug = false;
};

class Session {
 public:
  explicit Session(SessionSettings settings);
  ~Session();

  // Connects and runs every step up to a session ready for MAIL, within `deadline`.
  void open(net::Deadline deadline);
  // Opens on a socket already connected (the port race found it). `received`:
  // bytes the race already read from it (the greeting), taken as if read here.
  void open_on(net::Socket socket, net::Deadline deadline, std::string_view received = {});

  // Sends `bytes` (whole commands) as one write and records them in the transcript.
  void send(std::string_view bytes, Phase phase, net::Deadline deadline);
  // Sends as one write without recording (message content; the caller records a summary).
  void write(std::string_view bytes, Phase phase, net::Deadline deadline);
  // Reads the next reply, waiting at most the reply timeout (and the deadline).
  Reply read_reply(Phase phase, net::Deadline deadline);
  // A command, its reply, in lock-step.
  Reply command(std::string_view line, Phase phase, net::Deadline deadline);

  // RSET after a failed transaction, so the connection can carry the next one;
  // when RSET fails, the session is closed and nothing is thrown.
  void reset(net::Deadline deadline);
  // A transaction starts on a ready session and, once its final reply is in,
  // leaves it ready again; in between the session carries no other message.
  void begin_transaction();
  void end_transaction();
  // QUIT (not waiting long for its reply), then close.
  void quit();
  // After fork(): drop the connection without a word to the server.
  void abandon();
  // No round trip: ready (no transaction open), still connected, nothing unasked pending.
  bool reusable();

  bool is_open() const { return connection_ != nullptr; }
  const Capabilities& capabilities() const { return capabilities_; }
  const SessionSettings& settings() const { return settings_; }
  std::optional<std::string> tls_version() const;
  const net::TlsInfo* tls_info() const;
  Transcript& transcript() { return transcript_; }
  const Reply& greeting() const { return greeting_; }
  // Throw a SmtpError that names this host and port and carries the transcript:
  // every failure of a session leaves through here (what it means is decided in
  // failure.h). The second form is smtpx's own refusal; the third a refused
  // step, `what` saying which (the reply and a hint follow).
  [[noreturn]] void fail(SmtpFailure failure);
  [[noreturn]] void fail(ErrorKind kind, Phase phase, std::string message, std::string hint = {});
  [[noreturn]] void fail(ErrorKind kind, Phase phase, const Reply& reply, const std::string& what);

  unsigned transactions() const { return transactions_; }
  std::chrono::steady_clock::time_point opened_at() const { return opened_at_; }

 private:
  void greet(net::Deadline deadline);
  void ehlo(net::Deadline deadline);
  // STARTTLS (RFC 3207), then the handshake.
  void upgrade_by_starttls(net::Deadline deadline);
  void authenticate(net::Deadline deadline);
  void handshake_tls(net::Deadline deadline);
  std::string ehlo_name() const;
  // After a network error or a reply that is not SMTP: the connection cannot be
  // trusted any more, so it is closed without a word before failing.
  [[noreturn]] void fail_broken(SmtpFailure failure);
  std::string where() const;  // "host:port", for messages
  net::Deadline reply_deadline(net::Deadline deadline) const;

  enum class State {
    closed,          // no connection, or one that must not carry another command
    opening,         // greeting, EHLO, TLS, AUTH under way
    ready,           // waiting for MAIL FROM
    in_transaction,  // MAIL FROM sent, final reply not yet read
  };

  SessionSettings settings_;
  State state_ = State::closed;
  std::unique_ptr<net::Connection> connection_;
  ReplyReader reader_;
  Capabilities capabilities_;
  Reply greeting_;
  Transcript transcript_;
  unsigned transactions_ = 0;
  std::chrono::steady_clock::time_point opened_at_;
  long owner_pid_ = 0;  // the process that opened the connection; a forked child must not speak on it
};

}  // namespace smtpx::smtp
