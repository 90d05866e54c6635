// One send, end to end: a session (kept from the previous send when still
// usable, else a new one over the first port of the plan that answers), the
// message composed straight into the transaction, and the result or a SmtpError.
// A Mailer is what Smtpx\Client holds; smtpx_send() uses one for a single send.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "../dkim/signer.h"
#include "../message.h"
#include "../smtp/session.h"
#include "../smtp/transaction.h"
#include "pool.h"
#include "port_race.h"
#include "transport.h"

namespace smtpx::delivery {

struct SendResult {
  std::string transport = "smtp";     // or the API's scheme: "sendgrid+api"
  std::string message_id;             // without angle brackets; empty for raw sends and the JSON APIs
  std::string provider_message_id;    // the id an API answered with
  long http_status = 0;               // an API's answer
  std::string fallback_from;          // the primary transport's failure, when the fallback sent it
  std::string rotated_refresh_token;  // OAuth: the provider replaced the refresh token; store this one
  bool dsn_ignored = false;           // DSN was asked for and the server does not offer it (RFC 3461)
  std::vector<std::string> accepted;
  std::vector<std::pair<std::string, std::string>> rejected;  // address -> reply text
  std::string reply;  // the final reply, e.g. "250 2.0.0 Ok: queued as 4Xyz"
  std::string host;
  int port = 0;
  std::string tls;  // "TLSv1.3", empty without TLS
  bool reused = false;
  double seconds = 0;
  std::string transcript;             // when debug is on
  std::vector<PortAttempt> attempts;  // the ports raced for this send; empty on a kept session
};

struct RawMessage {
  std::string from;
  std::vector<std::string> recipients;
  std::string_view mime;  // the caller's bytes, not copied: they must outlive the send
};

class Mailer {
 public:
  // Validates the transport (InvalidInput naming the field); connects lazily.
  // With a `pool` (smtpx_send()), the session comes from it and goes back to it
  // after each send, unless transport.persistent is false; without one
  // (Smtpx\Client), the Mailer keeps its own session.
  explicit Mailer(Transport transport, Pool* pool = nullptr);
  ~Mailer();
  // Over SMTP or the transport's API; through the fallback transport when the
  // primary fails before any of the message went out (smtp::may_fall_back()).
  SendResult send(const Message& message);
  SendResult send_raw(const RawMessage& message);
  // QUIT and close the kept session, if any.
  void close();
  // Drops the kept session without a word to the server (in a forked child).
  void abandon();
  const Transport& transport() const { return transport_; }

 private:
  // Races the plan's ports (the one remembered for the host first) and opens a
  // session on the winner; the race's attempts go into `result`.
  std::unique_ptr<smtp::Session> open_session(net::Deadline deadline, SendResult& result);
  // A kept session for any port of the plan, from the pool.
  std::unique_ptr<smtp::Session> take_from_pool();
  // Where the pool counters of smtpx_pool_stats() go.
  Pool& counters() const { return pool_ ? *pool_ : Pool::process(); }
  // Runs `attempt` on the kept session or a new one, once more on a fresh
  // connection when a kept one turns out to be dead, and fills in the result.
  template <typename Attempt>
  SendResult deliver(Attempt&& attempt);
  // deliver() once OAuth is prepared; `result` holds what was learnt so far.
  template <typename Attempt>
  SendResult deliver_prepared(Attempt&& attempt, net::Clock::time_point started, net::Deadline deadline,
                              SendResult& result);
  // With OAuth: the access token for this send into the credentials, and how
  // to renew it if the server refuses it.
  void prepare_oauth(SendResult& result);
  // The refresh token the provider rotated to during this send (on renewal, or
  // when the token was first fetched), or "" when it did not change.
  std::string latest_refresh_token(const SendResult& result) const;
  SendResult send_by_smtp(const Message& message);
  SendResult send_raw_by_smtp(const RawMessage& message);
  SendResult send_by_api(const Message& message);
  SendResult send_raw_by_api(const RawMessage& message);
  // `here` on this transport; on a failure that allows it, `there` on the fallback's Mailer.
  template <typename Here, typename There>
  SendResult with_fallback(Here&& here, There&& there);

  Transport transport_;
  // transport_.fallback is provider_api_fallback()'s, not the caller's.
  bool fallback_implied_ = false;
  std::unique_ptr<smtp::Session> session_;
  // What the last server offered that changes how a message is composed.
  struct ServerTraits {
    bool known = false;
    bool eightbitmime = false;
    bool smtputf8 = false;
  } last_server_;
  Pool* pool_ = nullptr;
  std::unique_ptr<Mailer> fallback_;  // made on first use, and kept like this one's session
  std::shared_ptr<std::string> rotated_refresh_token_;
  std::vector<dkim::Signer>
      signers_;  // one per transport.dkim entry  // filled if a renewal during AUTH got a new one
};

}  // namespace smtpx::delivery
