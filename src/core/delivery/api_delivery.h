// One send through a provider's HTTPS API: the request built from the message
// (or its MIME bytes), checked against what the API takes before anything is
// sent, POSTed over the process's kept HTTPS connections, and the answer made
// a SendResult or a SmtpError through the one failure funnel (smtp/failure.h),
// with the same fields and the same retry answer as SMTP.
#pragma once

#include "../api/provider.h"
#include "mailer.h"
#include "transport.h"

namespace smtpx::delivery {

// Throws InvalidInput (what the API cannot carry: a size or a recipient count
// over its limit, a field it has no place for) or SmtpError.
SendResult deliver_by_api(const Transport& transport, const api::Outgoing& outgoing);

}  // namespace smtpx::delivery
