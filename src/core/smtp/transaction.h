// One mail transaction on an open session: MAIL FROM, RCPT TO for each
// recipient, then the content by BDAT (RFC 3030) or DATA. With PIPELINING
// (RFC 2920) the envelope and the content command leave in one write and the
// replies are read in order; without it, lock-step. Recipients the server
// refuses are reported one by one; the message goes to the others.
#pragma once

#include <string>
#include <vector>

#include "../body_source.h"
#include "../reply.h"
#include "session.h"

namespace smtpx::smtp {

struct Envelope {
  std::string mail_from;
  std::vector<std::string> rcpt_to;
  bool smtputf8 = false;  // the envelope or headers hold UTF-8 addresses
  // RFC 3461 parameters, already in their wire form (" RET=FULL ENVID=...",
  // " NOTIFY=... ORCPT=rfc822;..." per recipient); empty when none.
  std::string mail_parameters;
  std::vector<std::string> rcpt_parameters;
};

struct RecipientRejection {
  std::string address;
  Reply reply;
};

struct TransactionResult {
  std::vector<std::string> accepted;
  std::vector<RecipientRejection> rejected;
  Reply final_reply;
};

// Throws SmtpError: rejected (all recipients refused, or MAIL / the content
// refused), protocol, timeout; `outcome_unknown` is set when the end of the
// content was written and no final reply arrived. Leaves the session ready for
// another transaction after a refusal (RSET sent), or marked broken after I/O errors.
TransactionResult run_transaction(Session& session, const Envelope& envelope, BodySource& body,
                                  net::Deadline deadline);

}  // namespace smtpx::smtp
