#include "deadline.h"

#include <climits>

namespace smtpx::net {

int Deadline::poll_ms() const {
  const auto left = at - Clock::now();
  if (left <= Clock::duration::zero()) return 0;
  // Rounded up: a wait rounded down to 0 ms would return at once and leave the
  // caller spinning through the last fraction of a millisecond.
  const auto ms = std::chrono::ceil<std::chrono::milliseconds>(left).count();
  return ms > INT_MAX ? INT_MAX : static_cast<int>(ms);
}

}  // namespace smtpx::net
