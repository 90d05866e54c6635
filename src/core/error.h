// The one error type the core throws for anything that went wrong on the wire,
// and the one it throws for bad input. Each carries what a user needs to act:
// the phase, the server's reply, and whether trying again later can help.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "text/escape.h"

namespace smtpx {

// Where in a send the failure happened, in the protocol's own words.
enum class Phase { connect, tls, greeting, ehlo, auth, mail, rcpt, data, quit };
const char* phase_name(Phase phase);

// Which Smtpx\*Exception the glue raises.
enum class ErrorKind { connect, tls, auth, rejected, protocol, timeout };

struct SmtpFailure {
  ErrorKind kind = ErrorKind::protocol;
  Phase phase = Phase::connect;
  std::string message;          // says what happened and what to do next; never a secret
  std::string hint;             // the "what to do next" part of message alone; empty when none applies
  int smtp_code = 0;            // 0 when no reply was involved
  long http_status = 0;         // an HTTPS API's answer; 0 over SMTP
  double retry_after = 0;       // seconds the provider asked to wait before a retry (429, 503); 0: none
  std::string enhanced_status;  // "5.7.8", empty when the server gave none
  bool transient = false;
  // The end of the data was written but no final reply came: the server may have
  // accepted the message, so nobody may retry it blindly.
  bool outcome_unknown = false;
  std::string host;
  int port = 0;
  // Every recipient the server refused (address, reply text), when the failure is
  // that none was accepted.
  std::vector<std::pair<std::string, std::string>> rejected;
  std::string transcript;  // with `debug`, what was said up to the failure
  // OAuth: the refresh token the provider issued in place of the caller's during
  // this failed send. The caller's own credential, handed back so it is not lost
  // (the old one may be refused from now on); never in message, hint or transcript.
  std::string rotated_refresh_token;
};

class SmtpError : public std::runtime_error {
 public:
  explicit SmtpError(SmtpFailure failure)
      : std::runtime_error(failure.message), failure_(std::move(failure)) {}
  const SmtpFailure& failure() const { return failure_; }
  SmtpFailure& failure() { return failure_; }

 private:
  SmtpFailure failure_;
};

// Bad input from the caller, found before anything is sent. `field` names the
// offending key ("to[2]", "headers.X-Tag", "transport.port").
class InvalidInput : public std::invalid_argument {
 public:
  enum class Kind { value, type };
  InvalidInput(std::string field, const std::string& problem, Kind kind = Kind::value)
      : std::invalid_argument(text::printable(field) + ": " + problem),
        field_(std::move(field)),
        kind_(kind) {}
  const std::string& field() const { return field_; }
  Kind kind() const { return kind_; }

 private:
  std::string field_;
  Kind kind_;
};

}  // namespace smtpx
