#include "failure.h"

#include "../text/ascii.h"
#include "../text/escape.h"
#include "../text/utf8.h"

namespace smtpx::smtp {

using text::contains_ignoring_case;
using text::equals_ignoring_case;

namespace {

bool ends_with_nocase(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() &&
         equals_ignoring_case(text.substr(text.size() - suffix.size()), suffix);
}

// What a refused login means at the providers the presets name: each wants a
// particular kind of credential, and the account password is rarely it.
std::string credentials_hint(std::string_view host) {
  if (ends_with_nocase(host, ".sendgrid.net"))
    return "SendGrid wants the user name apikey (that very word) and, as the password, an API key with the "
           "Mail Send permission.";
  if (ends_with_nocase(host, ".brevo.com") || ends_with_nocase(host, ".sendinblue.com"))
    return "Brevo wants the SMTP login and an SMTP key from \"SMTP & API\", not the API key.";
  if (ends_with_nocase(host, ".amazonaws.com"))
    return "Amazon SES wants the SMTP credentials created for SES in this region; IAM access keys are not "
           "SMTP passwords.";
  if (ends_with_nocase(host, ".mailgun.org"))
    return "Mailgun wants the SMTP login of the sending domain (such as postmaster@your-domain) and its SMTP "
           "password.";
  if (ends_with_nocase(host, ".postmarkapp.com"))
    return "Postmark wants a Server API token as both the user name and the password.";
  if (ends_with_nocase(host, ".office365.com") || ends_with_nocase(host, ".outlook.com"))
    return "Microsoft 365 needs SMTP AUTH enabled for the mailbox, and an OAuth2 token once basic "
           "authentication is off.";
  return "Check the user name and password; Gmail and Google Workspace need an app password or an OAuth2 "
         "token.";
}

}  // namespace

// RFC 5321 4.2.1: 4xx may succeed later, 5xx will not.
bool reply_is_transient(const Reply& reply) {
  if (!reply.transient()) return false;
  const std::string text = reply.text();
  // SendGrid answers 451 for account problems that no retry will cure.
  return !contains_ignoring_case(text, "maximum credits exceeded") &&
         !contains_ignoring_case(text, "could not authenticate");
}

std::string hint_for(const Reply& reply, Phase phase, std::string_view host) {
  const std::string text = reply.text();
  const std::string& status = reply.enhanced_status;
  if (status == "5.7.30" || contains_ignoring_case(text, "basic authentication is disabled"))
    return "Basic authentication is disabled for this account: authenticate with an OAuth2 access token "
           "(oauth_token).";
  if (contains_ignoring_case(text, "maximum credits exceeded"))
    return "The provider account has no sending credits left: check the account; retrying will not help.";
  if (phase == Phase::auth && (reply.code == 535 || status == "5.7.8")) return credentials_hint(host);
  if (phase == Phase::auth && reply.code == 534)
    return "The provider wants a stronger mechanism or a sign-in from its web interface first (Gmail: use an "
           "app password).";
  if (reply.code == 530 && contains_ignoring_case(text, "starttls"))
    return "The server requires TLS first: use port 587 with STARTTLS or 465 with implicit TLS.";
  // RFC 4954 6: 530 5.7.0 "Authentication required", typically at MAIL FROM.
  if (reply.code == 530 || contains_ignoring_case(text, "authentication required"))
    return "The server requires AUTH: set a user name and password (or an OAuth2 token) for this "
           "transport.";
  if (reply.code == 421 || reply.code == 454 || status == "4.7.0")
    return "The server is busy or throttling this client: try again later.";
  if (reply.code == 552 || status == "5.3.4" || status == "5.2.3")
    return "The message is too large for this server: send smaller attachments.";
  if (phase == Phase::mail && (reply.code == 550 || reply.code == 553 || reply.code == 403))
    return "The server does not accept this sender: use a sender address or domain verified with the "
           "provider.";
  if (phase == Phase::rcpt && (status == "5.1.1" || reply.code == 550))
    return "The recipient's address does not exist or is not accepted here: check it.";
  return {};
}

namespace {

std::string with_hint(std::string message, const std::string& hint) {
  return hint.empty() ? message : message + ". " + hint;
}

ErrorKind kind_of(net::Fault fault) {
  switch (fault) {
    case net::Fault::timeout:
      return ErrorKind::timeout;
    case net::Fault::tls_setup:
    case net::Fault::tls_refused:
    case net::Fault::tls_untrusted:
      return ErrorKind::tls;
    case net::Fault::unresolved:
    case net::Fault::refused:
    case net::Fault::unreachable:
    case net::Fault::closed:
    case net::Fault::lost:
      break;
  }
  return ErrorKind::connect;
}

}  // namespace

bool fault_is_transient(net::Fault fault) {
  return kind_of(fault) != ErrorKind::tls;
}

SmtpFailure failure_from_reply(ErrorKind kind, Phase phase, const Reply& reply, std::string_view what,
                               std::string_view host) {
  SmtpFailure failure;
  failure.kind = kind;
  failure.phase = phase;
  failure.smtp_code = reply.code;
  failure.enhanced_status = reply.enhanced_status;
  failure.transient = reply_is_transient(reply);
  failure.hint = hint_for(reply, phase, host);
  failure.message = with_hint(std::string(what) + ": " + reply.text(), failure.hint);
  return failure;
}

SmtpFailure failure_from_network(const net::NetworkError& error, Phase phase) {
  SmtpFailure failure;
  failure.kind = kind_of(error.fault());
  failure.phase = phase;
  failure.message = error.what();
  failure.hint = error.hint();
  failure.transient = fault_is_transient(error.fault());
  return failure;
}

SmtpFailure failure_from_malformed(const MalformedReply& error, Phase phase) {
  return refusal(ErrorKind::protocol, phase, error.what());
}

SmtpFailure refusal(ErrorKind kind, Phase phase, std::string message, std::string hint) {
  SmtpFailure failure;
  failure.kind = kind;
  failure.phase = phase;
  failure.message = std::move(message);
  failure.hint = std::move(hint);
  return failure;
}

void mark_outcome_unknown(SmtpFailure& failure) {
  failure.outcome_unknown = true;
  failure.transient = false;
  failure.hint =
      "The whole message was sent but no final reply arrived: the server may have accepted it, so it was not "
      "retried; check the recipient's mailbox or the server's log before sending again.";
  failure.message += " " + failure.hint;
}

SmtpFailure failure_from_http(long status, std::string_view provider_text, std::string_view api,
                              std::string_view credentials_hint, double retry_after) {
  SmtpFailure failure;
  failure.http_status = status;
  failure.phase = Phase::data;
  failure.kind = ErrorKind::rejected;
  std::string said = std::string(api) + " answered HTTP " + std::to_string(status);
  // At most 500 bytes of it, cut on a character boundary: PHP callers json_encode() messages.
  if (!provider_text.empty())
    said += ": " + text::printable(provider_text.substr(0, text::utf8_prefix_length(provider_text, 500)));
  if (status == 401 || status == 403) {
    failure.kind = ErrorKind::auth;
    failure.phase = Phase::auth;
    failure.hint = std::string(credentials_hint);
  } else if (status == 413) {
    failure.hint = "The message is too large for this API: send smaller attachments.";
  } else if (status == 429 || status >= 500) {
    failure.transient = true;
    failure.retry_after = retry_after;
    failure.hint = status == 429 ? "The provider is limiting this account's sending rate: try again later."
                                 : "The provider's API is failing: try again later.";
  } else if (status < 400) {
    // A redirect or another answer the APIs do not give: not followed.
    failure.kind = ErrorKind::protocol;
  }
  failure.message = with_hint(said, failure.hint);
  return failure;
}

bool may_fall_back(const SmtpFailure& failure) {
  if (failure.outcome_unknown) return false;
  const bool before_the_message = failure.phase == Phase::connect || failure.phase == Phase::greeting ||
                                  failure.phase == Phase::tls || failure.phase == Phase::ehlo;
  return before_the_message || failure.transient;
}

SmtpFailure failure_of_both(const SmtpFailure& primary, const SmtpFailure& fallback) {
  SmtpFailure both = fallback;
  const auto unreachable = [](const SmtpFailure& failure) {
    return failure.kind == ErrorKind::connect || failure.kind == ErrorKind::timeout;
  };
  if (unreachable(primary) && unreachable(fallback)) both.kind = ErrorKind::connect;
  both.transient = fallback.transient && !fallback.outcome_unknown;
  both.message = primary.message + "; the fallback failed too: " + fallback.message;
  return both;
}

bool worth_a_fresh_connection(const SmtpFailure& failure) {
  if (failure.outcome_unknown) return false;
  if (failure.smtp_code == 421) return true;  // RFC 5321 3.8: the server is closing this channel
  return failure.smtp_code == 0 && failure.kind != ErrorKind::tls && failure.kind != ErrorKind::rejected;
}

}  // namespace smtpx::smtp
