#include "port_race.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "../error.h"
#include "../reply.h"

namespace smtpx::delivery {

const char* fate_name(AttemptFate fate) {
  switch (fate) {
    case AttemptFate::won:
      return "won";
    case AttemptFate::refused:
      return "refused";
    case AttemptFate::unreachable:
      return "unreachable";
    case AttemptFate::timeout:
      return "timeout";
    case AttemptFate::silent:
      return "silent";
    case AttemptFate::greeting_refused:
      return "greeting_refused";
    case AttemptFate::closed:
      return "closed";
    case AttemptFate::lost:
      return "lost";
  }
  return "unknown";
}

namespace {

using net::Clock;

double seconds_between(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration<double>(to - from).count();
}

std::string seconds_text(double seconds) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3gs", seconds);
  return text;
}

// The resolver answered for the first port; the others differ only in the port field.
net::Endpoint with_port(net::Endpoint endpoint, uint16_t port) {
  const uint16_t network_port = htons(port);
  unsigned char* bytes = endpoint.sockaddr_bytes.data();
  if (endpoint.family == AF_INET && endpoint.sockaddr_bytes.size() >= sizeof(sockaddr_in))
    std::memcpy(bytes + offsetof(sockaddr_in, sin_port), &network_port, sizeof network_port);
  else if (endpoint.family == AF_INET6 && endpoint.sockaddr_bytes.size() >= sizeof(sockaddr_in6))
    std::memcpy(bytes + offsetof(sockaddr_in6, sin6_port), &network_port, sizeof network_port);
  return endpoint;
}

struct Candidate {
  PortChoice choice;
  net::Endpoint endpoint;
};

// One candidate in flight: connecting, then (on a port whose greeting comes in
// clear text) waiting for the greeting.
struct Runner {
  size_t attempt = 0;  // index into RaceResult::attempts
  PortChoice choice;
  net::Socket socket;
  Clock::time_point started;
  bool connected = false;
  std::string received;
  ReplyReader reader;
  bool running = true;
};

class Race {
 public:
  Race(double stagger, net::Deadline deadline) : stagger_(stagger), deadline_(deadline) {}

  RaceResult run(const std::vector<Candidate>& candidates) {
    size_t next = 0;
    Clock::time_point next_start = Clock::now();
    for (;;) {
      const Clock::time_point now = Clock::now();
      if (result_.winner || now >= deadline_.at) break;
      if (next < candidates.size() && (running_count() == 0 || now >= next_start)) {
        start(candidates[next++], now);
        next_start = now + stagger_duration();
        continue;
      }
      if (running_count() == 0) break;  // every candidate has had its turn
      const net::Deadline wake = next < candidates.size() ? deadline_.earliest({next_start}) : deadline_;
      if (wait(wake)) next_start = Clock::now();  // a candidate failed: the next one starts at once
    }
    finish_running();
    return std::move(result_);
  }

 private:
  Clock::duration stagger_duration() const {
    return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(stagger_));
  }

  size_t running_count() const {
    return static_cast<size_t>(
        std::count_if(runners_.begin(), runners_.end(), [](const Runner& runner) { return runner.running; }));
  }

  void start(const Candidate& candidate, Clock::time_point now) {
    PortAttempt attempt;
    attempt.choice = candidate.choice;
    attempt.ip = candidate.endpoint.ip;
    result_.attempts.push_back(std::move(attempt));
    Runner runner;
    runner.attempt = result_.attempts.size() - 1;
    runner.choice = candidate.choice;
    runner.socket = net::Socket::start_connect(candidate.endpoint);
    runner.started = now;
    runners_.push_back(std::move(runner));
    // A connect that fails (or succeeds) at once is settled before anything waits.
    step_connect(runners_.back());
  }

  // Ends `runner` with `fate`; true when that was a failure, so the next candidate may start.
  bool settle(Runner& runner, AttemptFate fate, std::string detail) {
    PortAttempt& attempt = result_.attempts[runner.attempt];
    attempt.fate = fate;
    attempt.detail = std::move(detail);
    attempt.seconds = seconds_between(runner.started, Clock::now());
    runner.running = false;
    if (fate == AttemptFate::won) {
      result_.winner = RaceWinner{runner.choice, std::move(runner.socket), std::move(runner.received)};
      return false;
    }
    runner.socket.close();
    return true;
  }

  bool step_connect(Runner& runner) {
    const int error = runner.socket.connect_result();
    if (error == -1) return false;
    if (error == ECONNREFUSED)
      return settle(runner, AttemptFate::refused, "connection refused: nothing listens there");
    if (error != 0) return settle(runner, AttemptFate::unreachable, std::strerror(error));
    runner.connected = true;
    // RFC 8314 3.3: on an implicit-TLS port the server speaks only after the handshake.
    if (runner.choice.tls == smtp::TlsMode::implicit) settle(runner, AttemptFate::won, "connected");
    return false;
  }

  bool step_greeting(Runner& runner) {
    char buffer[4096];
    const ssize_t got = ::recv(runner.socket.fd(), buffer, sizeof buffer, 0);
    if (got < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return false;
      return settle(runner, AttemptFate::closed, std::strerror(errno));
    }
    if (got == 0)
      return settle(runner, AttemptFate::closed, "the server closed the connection before greeting");
    runner.received.append(buffer, static_cast<size_t>(got));
    try {
      runner.reader.feed(std::string_view(buffer, static_cast<size_t>(got)));
      const std::optional<Reply> greeting = runner.reader.next(Phase::greeting);
      if (!greeting) return false;
      // RFC 5321 3.1: 220 opens the session; 554 (or 421) refuses it.
      if (greeting->code != 220) {
        result_.attempts[runner.attempt].refusal = *greeting;
        return settle(runner, AttemptFate::greeting_refused, greeting->text());
      }
      return settle(runner, AttemptFate::won, greeting->text());
    } catch (const MalformedReply& error) {
      return settle(runner, AttemptFate::closed, std::string("not an SMTP greeting: ") + error.what());
    }
  }

  // One poll() over every runner until `wake`; true when some candidate failed.
  bool wait(net::Deadline wake) {
    std::vector<pollfd> entries;
    std::vector<Runner*> owners;
    for (Runner& runner : runners_) {
      if (!runner.running) continue;
      entries.push_back({runner.socket.fd(), static_cast<short>(runner.connected ? POLLIN : POLLOUT), 0});
      owners.push_back(&runner);
    }
    const int ready = ::poll(entries.data(), entries.size(), wake.poll_ms());
    if (ready <= 0) return false;  // the wake-up time, or EINTR: the loop looks at the clock again
    bool failed = false;
    for (size_t i = 0; i < entries.size() && !result_.winner; ++i) {
      if (entries[i].revents == 0) continue;
      Runner& runner = *owners[i];
      failed = (runner.connected ? step_greeting(runner) : step_connect(runner)) || failed;
      // A connect that completed is waited on for its greeting in the next round.
    }
    return failed;
  }

  void finish_running() {
    for (Runner& runner : runners_) {
      if (!runner.running) continue;
      const std::string waited = seconds_text(seconds_between(runner.started, Clock::now()));
      if (result_.winner)
        settle(runner, AttemptFate::lost, "another port answered first");
      else if (runner.connected)
        settle(runner, AttemptFate::silent, "connected, but no greeting within " + waited);
      else
        settle(runner, AttemptFate::timeout,
               "no answer within " + waited + ": a firewall is probably dropping packets to this port");
    }
  }

  double stagger_;
  net::Deadline deadline_;
  std::vector<Runner> runners_;
  RaceResult result_;
};

}  // namespace

RaceResult race_ports(const std::string& host, const std::vector<PortChoice>& plan, double stagger,
                      net::Deadline deadline) {
  if (plan.empty()) return {};
  const std::vector<net::Endpoint> endpoints = net::resolve(host, plan.front().port, deadline);
  std::vector<Candidate> candidates;
  for (const PortChoice& choice : plan)
    for (const net::Endpoint& endpoint : endpoints)
      candidates.push_back({choice, with_port(endpoint, choice.port)});
  return Race(stagger, deadline).run(candidates);
}

std::string describe_attempts(const std::vector<PortAttempt>& attempts) {
  std::string text;
  for (const PortAttempt& attempt : attempts) {
    if (!text.empty()) text += "; ";
    text += std::to_string(attempt.choice.port) + " (" + attempt.ip + ") " + fate_name(attempt.fate);
    if (!attempt.detail.empty()) text += ": " + attempt.detail;
  }
  return text;
}

}  // namespace smtpx::delivery
