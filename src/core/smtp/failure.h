// Turns a server's refusal into a SmtpFailure a user can act on: the reply,
// whether trying again can help, and a hint in plain words for the replies
// providers are known to send.
#pragma once

#include <string>
#include <string_view>

#include "../error.h"
#include "../reply.h"

namespace smtpx::smtp {

// 4xx replies are transient, except those known to be permanent in disguise
// (SendGrid's 451 for an exhausted or unauthorised account).
bool reply_is_transient(const Reply& reply);

// What to do about a reply, or empty when there is nothing better to say than the reply.
std::string hint_for(const Reply& reply, Phase phase);

// `what` says which step was refused ("the server refused the sender"); the
// message becomes "what: <reply>. <hint>".
SmtpFailure failure_from_reply(ErrorKind kind, Phase phase, const Reply& reply, std::string_view what);

}  // namespace smtpx::smtp
