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

// A pooled connection that failed before the server could have accepted
// anything (it died while idle, or the server is closing it: 421) is worth one
// more try on a fresh connection.
bool worth_a_fresh_connection(const SmtpFailure& failure);

}  // namespace smtpx::smtp
