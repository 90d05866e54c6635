// One send, end to end: a session (kept from the previous send when still
// usable, else a new one over the first port of the plan that answers), the
// message composed straight into the transaction, and the result or a SmtpError.
// A Mailer is what Smtpx\Client holds; smtpx_send() uses one for a single send.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "../message.h"
#include "../smtp/session.h"
#include "../smtp/transaction.h"
#include "transport.h"

namespace smtpx::delivery {

struct SendResult {
  std::string message_id;  // without angle brackets; empty for raw sends
  std::vector<std::string> accepted;
  std::vector<std::pair<std::string, std::string>> rejected;  // address -> reply text
  std::string reply;  // the final reply, e.g. "250 2.0.0 Ok: queued as 4Xyz"
  std::string host;
  int port = 0;
  std::string tls;  // "TLSv1.3", empty without TLS
  bool reused = false;
  double seconds = 0;
  std::string transcript;  // when debug is on
};

struct RawMessage {
  std::string from;
  std::vector<std::string> recipients;
  std::string mime;
};

class Mailer {
 public:
  // Validates the transport (InvalidInput naming the field); connects lazily.
  explicit Mailer(Transport transport);
  ~Mailer();
  SendResult send(const Message& message);
  SendResult send_raw(const RawMessage& message);
  // QUIT and close the kept session, if any.
  void close();
  // Drops the kept session without a word to the server (in a forked child).
  void abandon();
  const Transport& transport() const { return transport_; }

 private:
  std::unique_ptr<smtp::Session> open_session(net::Deadline deadline);
  // Runs `attempt` on the kept session or a new one, once more on a fresh
  // connection when a kept one turns out to be dead, and fills in the result.
  template <typename Attempt>
  SendResult deliver(Attempt&& attempt);

  Transport transport_;
  std::unique_ptr<smtp::Session> session_;
};

}  // namespace smtpx::delivery
