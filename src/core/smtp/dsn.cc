#include "dsn.h"

#include <algorithm>

#include "../error.h"

namespace smtpx::smtp {

std::string xtext(std::string_view text) {
  static const char hex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (c < 33 || c > 126 || c == '+' || c == '=') {
      out += '+';
      out += hex[c >> 4];
      out += hex[c & 15];
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  return out;
}

void validate_dsn(const DsnRequest& request) {
  const auto& notify = request.notify;
  const bool never = std::find(notify.begin(), notify.end(), "NEVER") != notify.end();
  // RFC 3461 4.1: NEVER alone, or any of SUCCESS, FAILURE and DELAY.
  if (never && notify.size() > 1)
    throw InvalidInput("dsn.notify", "'never' cannot be combined with other values");
  for (const std::string& value : notify) {
    if (value != "NEVER" && value != "SUCCESS" && value != "FAILURE" && value != "DELAY")
      throw InvalidInput("dsn.notify", "must be 'never' or any of 'success', 'failure', 'delay', not '" +
                                           printable(value) + "'");
  }
  if (!request.ret.empty() && request.ret != "FULL" && request.ret != "HDRS")
    throw InvalidInput("dsn.ret", "must be 'full' (the whole message back) or 'hdrs' (its headers)");
  // RFC 3461 4.4: at most 100 characters, printable ASCII.
  if (request.envid.size() > 100) throw InvalidInput("dsn.envid", "is longer than 100 characters");
  if (std::any_of(request.envid.begin(), request.envid.end(), [](char c) {
        return static_cast<unsigned char>(c) < 32 || static_cast<unsigned char>(c) > 126;
      }))
    throw InvalidInput("dsn.envid", "must be printable ASCII");
}

std::string dsn_mail_parameters(const DsnRequest& request) {
  std::string parameters;
  if (!request.ret.empty()) parameters += " RET=" + request.ret;
  if (!request.envid.empty()) parameters += " ENVID=" + xtext(request.envid);
  return parameters;
}

std::string dsn_rcpt_parameters(const DsnRequest& request, std::string_view address) {
  if (!request.requested()) return {};
  std::string parameters;
  for (size_t i = 0; i < request.notify.size(); ++i)
    parameters += (i == 0 ? " NOTIFY=" : ",") + request.notify[i];
  const bool ascii =
      std::all_of(address.begin(), address.end(), [](char c) { return static_cast<unsigned char>(c) < 128; });
  if (ascii) parameters += " ORCPT=rfc822;" + xtext(address);
  return parameters;
}

}  // namespace smtpx::smtp
