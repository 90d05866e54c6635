#include "port_tallies.h"

namespace smtpx::delivery {

void PortTallies::count(const std::vector<PortAttempt>& attempts) {
  const std::lock_guard<std::mutex> lock(mutex_);
  for (const PortAttempt& attempt : attempts) {
    PortTally& tally = tallies_[attempt.choice.port];
    if (attempt.fate == AttemptFate::won)
      ++tally.wins;
    else if (attempt.fate == AttemptFate::lost)
      ++tally.lost;
    else
      ++tally.failures;
  }
}

std::map<uint16_t, PortTally> PortTallies::snapshot() {
  const std::lock_guard<std::mutex> lock(mutex_);
  return tallies_;
}

PortTallies& PortTallies::process() {
  static PortTallies tallies;
  return tallies;
}

}  // namespace smtpx::delivery
