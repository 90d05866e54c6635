// A point in time by which an operation must be done. Every blocking step takes
// one, so the connect timeout, each reply's timeout and the send's total budget
// combine simply: the earliest wins.
#pragma once

#include <algorithm>
#include <chrono>

namespace smtpx::net {

using Clock = std::chrono::steady_clock;

struct Deadline {
  Clock::time_point at;

  static Deadline in(double seconds) {
    return {Clock::now() +
            std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds))};
  }
  Deadline earliest(Deadline other) const { return {std::min(at, other.at)}; }
  bool passed() const { return Clock::now() >= at; }
  // Milliseconds left for poll(): at least 0, at most INT_MAX.
  int poll_ms() const;
};

}  // namespace smtpx::net
