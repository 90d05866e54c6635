// The one place that decides what a failure means: which exception a user
// gets, whether trying again can help, whether the message may already have
// been delivered, and a hint in plain words. Replies, network errors and
// smtpx's own refusals all become a SmtpFailure here; the session adds where
// (host, port, transcript) and throws. The outbox, the fallback connection and
// the API fallback all ask `transient` and `outcome_unknown`, so all get the
// same answer.
//
// May it be retried (`transient`)?
//
//   what failed                                                     transient
//   a 4xx reply                                                     yes, except the replies known to be
//                                                                   permanent in disguise (SendGrid's 451
//                                                                   for an exhausted or unauthorised account)
//   a 5xx reply                                                     no
//   the network: no name, refused, unreachable, timeout, closed,    yes: the network or the server may
//     reset, a TLS record broken mid-session                        answer later
//   TLS set-up, a refused handshake, an untrusted certificate       no: a certificate does not fix itself
//   smtpx's own refusal (no STARTTLS offered, AUTH in clear text,   no: nothing changes by waiting
//     no AUTH offered, message over SIZE)
//   bytes that are not an SMTP reply                                no
//   anything once the last byte of the content is written           no, and `outcome_unknown`: the server
//                                                                   may have the message
//   an HTTPS API: 429, 5xx                                          yes (`retry_after` when it said when)
//   an HTTPS API: 400, 401, 403, 413, 422 and other 4xx             no
//   an HTTPS API: the whole request sent, no answer                 no, and `outcome_unknown`
//
// May the fallback transport take over? Only when nothing of the message went
// out: a failure to reach or greet the server or to set TLS up, or a
// transient refusal; never after an unknown outcome.
#pragma once

#include <string>
#include <string_view>

#include "../error.h"
#include "../net/network_error.h"
#include "../reply.h"

namespace smtpx::smtp {

bool reply_is_transient(const Reply& reply);
bool fault_is_transient(net::Fault fault);

// What to do about a reply, or empty when there is nothing better to say than
// the reply. `host` names the provider, whose credentials differ (SendGrid's
// "apikey", Brevo's SMTP key, SES's SMTP credentials...).
std::string hint_for(const Reply& reply, Phase phase, std::string_view host = {});

// `what` says which step was refused ("the server refused the sender"); the
// message becomes "what: <reply>. <hint>".
SmtpFailure failure_from_reply(ErrorKind kind, Phase phase, const Reply& reply, std::string_view what,
                               std::string_view host = {});

// A network error during `phase`.
SmtpFailure failure_from_network(const net::NetworkError& error, Phase phase);

// A reply that is not SMTP.
SmtpFailure failure_from_malformed(const MalformedReply& error, Phase phase);

// smtpx's own refusal to go on: permanent. `hint` is the "what to do" part of
// `message`, when it has one.
SmtpFailure refusal(ErrorKind kind, Phase phase, std::string message, std::string hint = {});

// The last byte of the content was written and this failure came instead of
// the final reply: the server may have accepted the message.
void mark_outcome_unknown(SmtpFailure& failure);

// An HTTPS API's answer `status` (not 2xx), with the provider's own words
// (`provider_text`, from its error body), for `api` ("SendGrid"), whose
// `credentials_hint` says what a 401/403 means there.
SmtpFailure failure_from_http(long status, std::string_view provider_text, std::string_view api,
                              std::string_view credentials_hint, double retry_after);

bool may_fall_back(const SmtpFailure& failure);

// The primary failed and so did the fallback: one failure that names both,
// as the fallback's (its retry answer is the one that counts), a
// ConnectException when neither could reach its server.
SmtpFailure failure_of_both(const SmtpFailure& primary, const SmtpFailure& fallback);

// A pooled connection that failed before the server could have accepted
// anything (it died while idle, or the server is closing it: 421) is worth one
// more try on a fresh connection.
bool worth_a_fresh_connection(const SmtpFailure& failure);

}  // namespace smtpx::smtp
