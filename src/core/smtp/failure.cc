#include "failure.h"

#include "../text/ascii.h"

namespace smtpx::smtp {

using text::contains_ignoring_case;

bool reply_is_transient(const Reply& reply) {
  if (!reply.transient()) return false;
  const std::string text = reply.text();
  // SendGrid answers 451 for account problems that no retry will cure.
  return !contains_ignoring_case(text, "maximum credits exceeded") &&
         !contains_ignoring_case(text, "could not authenticate");
}

std::string hint_for(const Reply& reply, Phase phase) {
  const std::string text = reply.text();
  const std::string& status = reply.enhanced_status;
  if (status == "5.7.30" || contains_ignoring_case(text, "basic authentication is disabled"))
    return "Basic authentication is disabled for this account: authenticate with an OAuth2 access token "
           "(oauth_token).";
  if (contains_ignoring_case(text, "maximum credits exceeded"))
    return "The provider account has no sending credits left: check the account; retrying will not help.";
  if (phase == Phase::auth && (reply.code == 535 || status == "5.7.8"))
    return "Check the user name and password; Gmail and Google Workspace need an app password or an OAuth2 "
           "token.";
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

SmtpFailure failure_from_reply(ErrorKind kind, Phase phase, const Reply& reply, std::string_view what) {
  SmtpFailure failure;
  failure.kind = kind;
  failure.phase = phase;
  failure.smtp_code = reply.code;
  failure.enhanced_status = reply.enhanced_status;
  failure.transient = reply_is_transient(reply);
  failure.message = std::string(what) + ": " + reply.text();
  failure.hint = hint_for(reply, phase);
  if (!failure.hint.empty()) failure.message += ". " + failure.hint;
  return failure;
}

}  // namespace smtpx::smtp
