// Connections kept across sends (and across the requests a PHP worker serves),
// so a worker that sends many mails pays for TCP, TLS and AUTH once. Modelled
// on Postfix's connection cache (smtp_reuse.c) and phpredis' persistent
// connections: a session goes back into the pool after a send and comes out
// for the next send with the same key.
//
// Promises: a session is shared only with sends that would have opened exactly
// the same one (host, port, TLS settings, EHLO name, user and credentials: the
// key holds an HMAC-SHA-256 of the secrets under a key of this process, never
// the secrets); it comes out only when alive without a round trip
// (Session::reusable(): not closed, no unasked 421) and within its limits; a
// process that forked drops, without a word, whatever its parent opened. The
// counters say what the pool did, for smtpx_pool_stats().
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "../net/deadline.h"
#include "../net/process_owner.h"
#include "../smtp/session.h"
#include "transport.h"

namespace smtpx::delivery {

struct PoolKey {
  std::string host;
  uint16_t port = 0;
  smtp::TlsMode tls = smtp::TlsMode::starttls;
  bool verify = true;
  std::string cafile;
  std::string server_name;
  std::string helo;
  std::string username;
  std::string credential_digest;  // HMAC-SHA-256 of password and token, hex
  bool debug = false;             // a session records its transcript only when opened with debug

  static PoolKey of(const smtp::SessionSettings& settings);
  bool operator<(const PoolKey& other) const;
  bool operator==(const PoolKey& other) const;
};

// Why a kept connection left the pool other than by being reused.
enum class DropReason { idle, age, messages, dead, surplus, failed, fork, closed };
const char* drop_reason_name(DropReason reason);

struct PoolStats {
  uint64_t opened = 0;  // new sessions (each the winner of a port race)
  uint64_t reused = 0;  // sends that went out on a kept session
  std::map<DropReason, uint64_t> dropped;
  size_t idle = 0;  // sessions in the pool now
};

class Pool {
 public:
  Pool() = default;
  ~Pool();
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  // A kept session for `key` that is alive and within its limits, or null.
  // Sessions found dead or over a limit on the way are closed and counted.
  std::unique_ptr<smtp::Session> take(const PoolKey& key, net::Clock::time_point now = net::Clock::now());
  // Keeps `session` for a later send, or closes it (QUIT) when it is closed
  // already, over a limit, or the key has `limits.per_key` kept already.
  void put(std::unique_ptr<smtp::Session> session, const PoolLimits& limits,
           net::Clock::time_point now = net::Clock::now());
  // QUIT to every kept session (module shutdown, smtpx_pool_close()).
  void close();

  void count_opened();
  void count_dropped(DropReason reason);
  PoolStats stats();

  static Pool& process();

 private:
  struct Kept {
    std::unique_ptr<smtp::Session> session;
    PoolLimits limits;
    net::Clock::time_point idle_since;
  };

  // In a forked child: forget, without a word, every session the parent opened.
  void leave_parents_sessions();
  void drop(Kept& kept, DropReason reason);
  // Why `kept` may not serve another send at `now`, if so.
  static bool over_limit(const Kept& kept, net::Clock::time_point now, DropReason& reason);

  std::mutex mutex_;
  std::multimap<PoolKey, Kept> kept_;
  PoolStats stats_;
  net::ProcessOwner owner_;  // whose sessions kept_ holds
};

}  // namespace smtpx::delivery
