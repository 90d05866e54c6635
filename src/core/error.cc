#include "error.h"

namespace smtpx {

const char* phase_name(Phase phase) {
  switch (phase) {
    case Phase::connect:
      return "connect";
    case Phase::tls:
      return "tls";
    case Phase::greeting:
      return "greeting";
    case Phase::ehlo:
      return "ehlo";
    case Phase::auth:
      return "auth";
    case Phase::mail:
      return "mail";
    case Phase::rcpt:
      return "rcpt";
    case Phase::data:
      return "data";
    case Phase::quit:
      return "quit";
  }
  return "unknown";
}

}  // namespace smtpx
