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

  // `seconds` beyond a year (or infinite) counts as a year: converting a huge
  // double to the clock's integer count would overflow (undefined behaviour),
  // and no send waits that long anyway. Negative or NaN: now.
  static Deadline in(double seconds) {
    constexpr double longest = 365.0 * 24 * 3600;
    if (!(seconds > 0)) seconds = 0;
    if (seconds > longest) seconds = longest;
    return {Clock::now() +
            std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds))};
  }
  Deadline earliest(Deadline other) const { return {std::min(at, other.at)}; }
  bool passed() const { return Clock::now() >= at; }
  // Milliseconds left for poll(): at least 0, at most INT_MAX.
  int poll_ms() const;
};

}  // namespace smtpx::net
