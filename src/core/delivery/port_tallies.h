// How each port has fared in this process's port races, for smtpx_pool_stats():
// a host whose 587 keeps losing to 2525 shows it here. Kept apart from the pool,
// which is about connections kept, not about ports tried.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <vector>

#include "port_race.h"

namespace smtpx::delivery {

struct PortTally {
  uint64_t wins = 0;
  uint64_t failures = 0;  // refused, unreachable, timed out, silent, closed
  uint64_t lost = 0;      // still trying when another port won: slow, or dropped by a firewall
};

class PortTallies {
 public:
  // Each port's fate in one race: a win, a failure, or lost to a faster port.
  void count(const std::vector<PortAttempt>& attempts);
  std::map<uint16_t, PortTally> snapshot();

  // The one the mailer counts into.
  static PortTallies& process();

 private:
  std::mutex mutex_;
  std::map<uint16_t, PortTally> tallies_;
};

}  // namespace smtpx::delivery
