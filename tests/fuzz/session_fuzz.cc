// A whole SMTP session (src/core/smtp/session.*, auth.*, transaction.*)
// against a server whose every reply the fuzzer writes: a loopback server that
// answers each command with the next scripted reply, speaks TLS when the script
// accepts STARTTLS (or from the first byte for implicit TLS), takes the content
// of DATA and BDAT, and hangs up when the script runs out.
// Properties:
//   - TLS first: when TLS is required, nothing but EHLO, HELO and STARTTLS
//     goes out in clear text (no AUTH, no credential, no envelope, no content),
//     and the first command inside TLS is EHLO (RFC 3207 4.2);
//   - AUTH only with a mechanism the latest EHLO offered;
//   - in step: no command is sent before the reply owed to the one before
//     unless PIPELINING allows it (never behind EHLO, STARTTLS, AUTH or DATA,
//     RFC 2920 3.1); a transaction reports as its final reply the server's
//     answer to its own content, and as accepted the recipients whose RCPT the
//     server accepted, for a second message on the same session too;
//   - only SmtpError escapes, its message and transcript free of control bytes
//     and secrets; when the content was taken and no reply to it came, the
//     error says the outcome is unknown.
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/body_source.h"
#include "core/capabilities.h"
#include "core/error.h"
#include "core/mime/encoders.h"
#include "core/smtp/auth.h"
#include "core/smtp/session.h"
#include "core/smtp/transaction.h"
#include "core/text/escape.h"
#include "net_test_peer.h"
#include "properties.h"

namespace smtpx::fuzz {
namespace {

constexpr char kUser[] = "fuzz-user@example.com";
constexpr char kPassword[] = "fuzz-Secret-Passw0rd";
constexpr char kToken[] = "ya29.fuzz-Secret-Token";
std::string upper(std::string text) {
  for (char& c : text)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return text;
}

struct ScriptedReply {
  std::string bytes;           // as sent
  std::optional<Reply> reply;  // as a client reads it; none when it cannot be read
};

// What the fuzzer asks of the server, and of the client.
struct Script {
  smtp::TlsMode tls = smtp::TlsMode::starttls;
  int credentials = 0;  // 0 none, 1 user and password, 2 OAuth token
  size_t recipients = 1;
  bool second_message = false;
  bool large_body = false;  // over one 256 KiB chunk
  std::vector<ScriptedReply> replies;
};

// Four option digits (TLS mode, credentials, recipients, flags), then the
// server's lines, one per LF, each sent with CRLF. A reply ends at a line
// whose code is not followed by "-", as the client reads it; lines that are
// no reply at all are sent too, for the client to refuse.
Script script_from(std::string_view input) {
  Script script;
  if (input.size() < 4) return script;
  const auto option = [&](size_t i) { return static_cast<unsigned char>(input[i]); };
  script.tls = static_cast<smtp::TlsMode>(option(0) % 3);
  script.credentials = option(1) % 3;
  script.recipients = option(2) % 3 + 1;
  script.second_message = option(3) & 1;
  script.large_body = (option(3) & 6) == 6;
  input.remove_prefix(4);
  ScriptedReply scripted;
  while (!input.empty() && script.replies.size() < 64) {
    const size_t end = input.find('\n');
    const std::string_view line = input.substr(0, end);
    input.remove_prefix(end == std::string_view::npos ? input.size() : end + 1);
    scripted.bytes.append(line).append("\r\n");
    if (line.size() > 3 && line[3] == '-') continue;
    ReplyReader reader;
    reader.feed(scripted.bytes);
    try {
      scripted.reply = reader.next(Phase::mail);
    } catch (const MalformedReply&) {
    }
    script.replies.push_back(std::move(scripted));
    scripted = ScriptedReply{};
  }
  if (!scripted.bytes.empty()) script.replies.push_back(std::move(scripted));
  return script;
}

bool same_reply(const Reply& a, const Reply& b) {
  return a.code == b.code && a.lines == b.lines;
}

// What the server saw, read by the client side once the server has said it.
struct Record {
  std::mutex mutex;
  std::vector<bool> rcpt_accepted;  // of the current transaction, in order
  std::optional<Reply> content_reply;
  bool content_unanswered = false;  // the content's end arrived and no readable reply to it went out
};

class Server {
 public:
  Server(const Script& script, Record& record) : script_(script), record_(record) {}

  void serve(int fd) {
    fd_ = fd;
    if (script_.tls == smtp::TlsMode::implicit && !start_tls()) return;
    if (!reply("greeting")) return;
    std::string line;
    while (read_line(line)) {
      const std::string verb = upper(line.substr(0, line.find(' ')));
      check_command(verb, line);
      bool last_chunk = false;
      if (verb == "BDAT") {
        last_chunk = line.find(" LAST") != std::string::npos;
        if (!read_content(std::strtoull(line.c_str() + 5, nullptr, 10))) return;
      }
      check_in_step(verb, last_chunk);
      if (verb == "MAIL") {
        const std::lock_guard<std::mutex> lock(record_.mutex);
        record_.rcpt_accepted.clear();
      }
      if (last_chunk) mark_content_end();
      const std::optional<Reply> sent = reply(verb);
      if (!sent) return;
      if (verb == "RCPT") {
        const std::lock_guard<std::mutex> lock(record_.mutex);
        record_.rcpt_accepted.push_back(sent->positive());
      }
      if (verb == "EHLO") ehlo_ = sent->code == 250 ? Capabilities::from_ehlo(*sent) : Capabilities{};
      if (verb == "HELO") ehlo_ = Capabilities{};
      if (verb == "STARTTLS" && sent->code == 220 && !start_tls()) return;
      if (verb == "DATA" && sent->code == 354) {
        size_t lines = 0;
        if (!skip_data_content(lines)) return;
        // An empty one ends a DATA that no recipient can receive (RFC 2920 3.1), not the message.
        if (lines > 0) mark_content_end();
        check_in_step("DATA", true);
        if (!reply(".")) return;
      }
    }
  }

 private:
  void check_command(const std::string& verb, const std::string& line) {
    const bool tls_required = script_.tls != smtp::TlsMode::none;
    if (tls_required && !ssl_) {
      require(verb == "EHLO" || verb == "HELO" || verb == "STARTTLS",
              "nothing but EHLO, HELO and STARTTLS before TLS when TLS is required");
      require(line.find(kPassword) == std::string::npos && line.find(kToken) == std::string::npos,
              "no credential in clear text");
    }
    if (ssl_ && first_in_tls_) {
      if (script_.tls == smtp::TlsMode::starttls)
        require(verb == "EHLO", "EHLO first inside TLS (RFC 3207 4.2)");
      first_in_tls_ = false;
    }
    if (verb == "AUTH") {
      const size_t space = line.find(' ', 5);
      const std::string mechanism = upper(line.substr(5, space == std::string::npos ? space : space - 5));
      require(ehlo_.offers_auth(mechanism), "AUTH only with a mechanism the latest EHLO offered");
    }
  }

  // RFC 2920 3.1: only MAIL, RCPT, RSET and BDAT chunks before the last may
  // have others behind them, and only with PIPELINING; every other command,
  // and the end of the content, waits for its reply.
  void check_in_step(const std::string& verb, bool ends_content) {
    const bool may_pipeline = ehlo_.esmtp && ehlo_.pipelining && !ends_content &&
                              (verb == "MAIL" || verb == "RCPT" || verb == "RSET" || verb == "BDAT");
    if (may_pipeline) return;
    require(!client_bytes_waiting(), "no command is sent before the reply owed to the one before");
  }

  bool client_bytes_waiting() {
    if (!buffer_.empty() || (ssl_ && SSL_pending(ssl_.get()) > 0)) return true;
    char byte;
    return ::recv(fd_, &byte, 1, MSG_PEEK | MSG_DONTWAIT) > 0;
  }

  void mark_content_end() {
    const std::lock_guard<std::mutex> lock(record_.mutex);
    record_.content_unanswered = true;
    content_pending_ = true;
  }

  // Sends the next scripted reply; none when the script has run out (or the
  // reply cannot be read), and the server hangs up.
  std::optional<Reply> reply(const std::string& to) {
    if (next_ == script_.replies.size()) return std::nullopt;
    const ScriptedReply& scripted = script_.replies[next_++];
    if (content_pending_ && (to == "." || to == "BDAT")) {
      const std::lock_guard<std::mutex> lock(record_.mutex);
      record_.content_reply = scripted.reply;
      record_.content_unanswered = !scripted.reply;
      content_pending_ = false;
    }
    say(scripted.bytes);
    return scripted.reply;  // none when the client cannot read it: the server hangs up after it
  }

  bool start_tls() {
    ssl_ = net::test::accept_tls(fd_);
    first_in_tls_ = true;
    ehlo_ = Capabilities{};  // RFC 3207 4.2: what was offered in clear text no longer counts
    buffer_.clear();
    return ssl_ != nullptr;
  }

  void say(const std::string& bytes) {
    if (ssl_)
      SSL_write(ssl_.get(), bytes.data(), static_cast<int>(bytes.size()));
    else
      ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
  }

  bool fill() {
    char bytes[16384];
    const long got = ssl_ ? SSL_read(ssl_.get(), bytes, sizeof bytes) : ::recv(fd_, bytes, sizeof bytes, 0);
    if (got <= 0) return false;
    buffer_.append(bytes, static_cast<size_t>(got));
    return true;
  }

  bool read_line(std::string& line) {
    size_t end;
    while ((end = buffer_.find("\r\n")) == std::string::npos)
      if (!fill()) return false;
    line = buffer_.substr(0, end);
    buffer_.erase(0, end + 2);
    return true;
  }

  bool read_content(size_t size) {
    while (buffer_.size() < size)
      if (!fill()) return false;
    buffer_.erase(0, size);
    return true;
  }

  bool skip_data_content(size_t& lines) {
    std::string line;
    for (; read_line(line); ++lines)
      if (line == ".") return true;
    return false;
  }

  const Script& script_;
  Record& record_;
  int fd_ = -1;
  net::test::ServerSsl ssl_;
  bool first_in_tls_ = false;
  bool content_pending_ = false;
  Capabilities ehlo_;
  std::string buffer_;
  size_t next_ = 0;
};

// A listener on 127.0.0.1 for the whole run; each input is one connection.
int listener(uint16_t& port) {
  static uint16_t bound_port = 0;
  static const int fd = [] {
    const int socket = net::test::bound_loopback_socket(bound_port);
    ::listen(socket, 4);
    return socket;
  }();
  port = bound_port;
  return fd;
}

// What the script asks the client to log in with: nothing (0), a password (1) or an OAuth token (2).
smtp::Credentials credentials_for(int kind) {
  smtp::Credentials credentials;
  if (kind > 0) credentials.username = kUser;
  if (kind == 1) credentials.password = kPassword;
  if (kind == 2) credentials.oauth_token = kToken;
  return credentials;
}

void check_failure(const SmtpError& error, const Script& script) {
  const SmtpFailure& failure = error.failure();
  require(!failure.message.empty(), "an error says what happened");
  require(!has_control_byte(failure.message) && !has_control_byte(failure.hint),
          "no control byte of the server's in an error message");
  std::string transcript = failure.transcript;
  for (char& c : transcript)
    if (c == '\n') c = ' ';
  require(!has_control_byte(transcript), "no control byte of the server's in the transcript");
  for (const auto& [address, text] : failure.rejected)
    require(!has_control_byte(text), "rejections are printable");
  for (const std::string& secret : {std::string(kPassword), std::string(kToken), mime::base64(kPassword),
                                    smtp::plain_initial_response(credentials_for(1))}) {
    // The server's own words are quoted as they are, whatever they hold, with
    // their control bytes escaped: "f" DEL "uzz-..." is quoted "f\x7fuzz-...".
    const bool server_said_it =
        std::any_of(script.replies.begin(), script.replies.end(), [&](const ScriptedReply& reply) {
          return reply.bytes.find(secret) != std::string::npos ||
                 text::printable(reply.bytes).find(secret) != std::string::npos;
        });
    require(server_said_it || (failure.transcript.find(secret) == std::string::npos &&
                               failure.message.find(secret) == std::string::npos),
            "no secret in an error or its transcript");
  }
}

// One message on the open session; false when the session cannot carry another.
bool send_message(smtp::Session& session, const smtp::Envelope& envelope, const std::string& body_text,
                  const Script& script, Record& record) {
  StringBodySource body(body_text);
  try {
    const smtp::TransactionResult result =
        smtp::run_transaction(session, envelope, body, net::Deadline::in(20));
    const std::lock_guard<std::mutex> lock(record.mutex);
    require(record.content_reply && same_reply(result.final_reply, *record.content_reply),
            "the final reply is the server's answer to this message's content");
    std::vector<std::string> accepted;
    for (size_t i = 0; i < record.rcpt_accepted.size(); ++i)
      if (record.rcpt_accepted[i]) accepted.push_back(envelope.rcpt_to[i]);
    require(result.accepted == accepted, "accepted are the recipients whose RCPT the server accepted");
    record.content_reply.reset();
    return true;
  } catch (const SmtpError& error) {
    check_failure(error, script);
    bool unanswered;
    {
      const std::lock_guard<std::mutex> lock(record.mutex);
      unanswered = record.content_unanswered;
      record.content_reply.reset();
    }
    if (unanswered && error.failure().kind != ErrorKind::rejected)
      require(error.failure().outcome_unknown, "content taken and no reply: the outcome is unknown");
    return session.is_open();
  }
}

void run_client(const Script& script, uint16_t port, Record& record) {
  smtp::SessionSettings settings;
  settings.host = "127.0.0.1";
  settings.port = port;
  settings.tls = script.tls;
  if (script.tls != smtp::TlsMode::none) settings.tls_settings.cafile = net::test::Pki::get().ca;
  settings.helo = "client.example";
  settings.connect_timeout = 5;
  settings.reply_timeout = 5;
  settings.debug = true;
  settings.credentials = credentials_for(script.credentials);
  smtp::Session session(settings);
  try {
    session.open(net::Deadline::in(20));
  } catch (const SmtpError& error) {
    check_failure(error, script);
    return;
  }
  smtp::Envelope envelope;
  envelope.mail_from = "from@example.com";
  for (size_t i = 0; i < script.recipients; ++i)
    envelope.rcpt_to.push_back("rcpt" + std::to_string(i) + "@example.org");
  std::string body = "Subject: fuzz\r\n\r\n.leading dot\r\nbody\r\n";
  if (script.large_body) body.append(300 * 1024, 'x').append("\r\n");
  if (send_message(session, envelope, body, script, record) && script.second_message)
    send_message(session, envelope, body, script, record);
  session.quit();
}

}  // namespace
}  // namespace smtpx::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace smtpx::fuzz;
  const Script script = script_from(std::string_view(reinterpret_cast<const char*>(data), size));
  uint16_t port = 0;
  const int listening = listener(port);
  Record record;
  std::thread server_thread([&] {
    pollfd entry{listening, POLLIN, 0};
    if (::poll(&entry, 1, 5000) <= 0) return;
    const int fd = ::accept(listening, nullptr, nullptr);
    if (fd < 0) return;
    const timeval patience{5, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &patience, sizeof patience);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &patience, sizeof patience);
    // Replies go out at once, as from a real server (Nagle would hold each behind a delayed ACK).
    const int on = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
    Server(script, record).serve(fd);
    ::close(fd);
  });
  try {
    run_client(script, port, record);
  } catch (...) {
    require(false, "only SmtpError escapes the core");
  }
  server_thread.join();
  return 0;
}
