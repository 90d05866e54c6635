// Delivery status notification parameters (RFC 3461): RET and ENVID on MAIL
// FROM, NOTIFY and ORCPT on each RCPT TO, in xtext.
#pragma once

#include <string>
#include <string_view>

#include "../message.h"

namespace smtpx::smtp {

// RFC 3461 4: "+" and "=" and bytes outside 33..126 as "+XX".
std::string xtext(std::string_view text);

// Throws InvalidInput naming "dsn.notify", "dsn.ret" or "dsn.envid".
void validate_dsn(const DsnRequest& request);

// " RET=HDRS ENVID=...", or empty.
std::string dsn_mail_parameters(const DsnRequest& request);
// " NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;...", or empty; ORCPT only for an ASCII address.
std::string dsn_rcpt_parameters(const DsnRequest& request, std::string_view address);

}  // namespace smtpx::smtp
