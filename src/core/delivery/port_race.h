// Reaching a submission server over whichever port the network lets through,
// without waiting for a blocked one to time out: the candidates race like Happy
// Eyeballs (RFC 8305 5). The first starts at once; each later one starts when
// the one before has not produced a greeting within the stagger, or at once when
// it was refused or reset. The first candidate to greet with 220 wins (on an
// implicit-TLS port, the first to complete the TCP handshake, since its greeting
// comes only after TLS), and every other one is closed without a word.
//
// Promises: one thread, one poll() loop, nothing waits past the deadline. The
// race only connects: TLS, its verification and AUTH happen afterwards in a full
// Session on the winner, the same whichever port won, so falling back never
// lowers security. Every candidate started is reported with its fate.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "../net/deadline.h"
#include "../net/socket.h"
#include "../reply.h"
#include "transport.h"

namespace smtpx::delivery {

// How one started candidate ended.
enum class AttemptFate {
  won,
  refused,           // RST to our SYN: nothing listens there
  unreachable,       // no route, network down, ...: the kernel said no
  timeout,           // no TCP answer before the deadline: usually a firewall dropping packets
  silent,            // connected, but no greeting before the deadline
  greeting_refused,  // greeted with something other than 220 (RFC 5321 3.1: 554, 421)
  closed,            // the server hung up, reset or spoke garbage before greeting
  lost,              // still trying when another candidate won
};
const char* fate_name(AttemptFate fate);

struct PortAttempt {
  PortChoice choice;
  std::string ip;
  AttemptFate fate = AttemptFate::timeout;
  std::string detail;  // what happened, e.g. the errno text or the server's reply
  Reply refusal;       // the greeting, when the server answered but refused the session
  double seconds = 0;  // from the start of this attempt to its fate
};

struct RaceWinner {
  PortChoice choice;
  net::Socket socket;
  std::string received;  // the greeting as read (empty on an implicit-TLS port)
};

struct RaceResult {
  std::optional<RaceWinner> winner;
  std::vector<PortAttempt> attempts;  // in the order started
};

// Races the ports of `plan` (in that order, each over every address of `host`)
// until one wins or `deadline` passes. Throws net::NetworkError only when the
// host name cannot be resolved; every other failure is an attempt's fate.
RaceResult race_ports(const std::string& host, const std::vector<PortChoice>& plan, double stagger,
                      net::Deadline deadline);

// "587 timeout (no answer within 10s); 2525 refused; 465 lost": each fate, for messages.
std::string describe_attempts(const std::vector<PortAttempt>& attempts);

}  // namespace smtpx::delivery
