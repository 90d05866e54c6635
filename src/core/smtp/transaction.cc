#include "transaction.h"

#include <functional>
#include <optional>
#include <vector>

#include "data_encoder.h"
#include "failure.h"

namespace smtpx::smtp {

namespace {

// A message small enough to go whole in the write that carries the envelope;
// larger ones are streamed in chunks of this size, so memory stays flat.
constexpr size_t kChunkBytes = 256 * 1024;

// Reads the message from its source and encodes it for the wire, a chunk at a time.
class ContentPump {
 public:
  ContentPump(BodySource& body, DataEncoder::Mode mode) : body_(body), encoder_(mode) {}

  // Fills `out` with the next encoded chunk (about kChunkBytes); `done()` tells
  // whether it was the last. For DATA the last chunk ends with ".\r\n".
  void next_chunk(std::string& out) {
    out.clear();
    std::string raw;
    while (!done_ && out.size() < kChunkBytes) {
      raw.clear();
      if (body_.read(raw, kChunkBytes - out.size())) {
        encoder_.feed(raw, out);
      } else {
        encoder_.finish(out);
        done_ = true;
      }
    }
    total_ += out.size();
  }
  bool done() const { return done_; }
  size_t total() const { return total_; }

 private:
  BodySource& body_;
  DataEncoder encoder_;
  bool done_ = false;
  size_t total_ = 0;
};

std::string bdat(size_t size, bool last) {
  return "BDAT " + std::to_string(size) + (last ? " LAST\r\n" : "\r\n");
}

// After a reply, lock-step goes on with the next command or sends no more of
// what is queued. Under PIPELINING the rest has left already; its replies are
// read all the same.
enum class Next { go_on, stop };

// One step of the transaction: a command, the content that follows it, and
// what to do with its reply.
struct Entry {
  Phase phase = Phase::mail;
  std::string command;                         // recorded in the transcript
  std::string content;                         // message content after the command, recorded by its size only
  bool last_content = false;                   // the last byte of the content is in this entry
  std::function<Next(const Reply&)> on_reply;  // empty: no reply is owed (DATA content before its end)
};

// The loop that drives a transaction, as Postfix's smtp_proto.c drives its
// transfer states. Under PIPELINING (RFC 2920) everything queued leaves in one
// write and the replies are read afterwards, in order; without it, each command
// waits for its reply (RFC 5321 3.3). Either way a reply is owed for every
// command sent, and all are read, in order, before the transaction ends: a
// refused BDAT chunk is followed by a reply for each chunk after it (RFC 3030
// 4.2), and none of them may be taken for the reply to RSET.
class Pipeline {
 public:
  Pipeline(Session& session, net::Deadline deadline, bool pipelining)
      : session_(session), deadline_(deadline), pipelining_(pipelining) {}

  void queue(Entry entry) { queued_.push_back(std::move(entry)); }

  // Sends what is queued. In lock-step it also reads each reply, and drops the
  // rest of the queue when a reply's handler says stop.
  void send() {
    if (queued_.empty()) return;
    if (pipelining_) {
      const Phase phase = queued_.front().phase;
      std::string batch;
      bool last_content = false;
      for (Entry& entry : queued_) {
        record(entry);
        batch += entry.command;
        batch += entry.content;
        last_content = last_content || entry.last_content;
        if (entry.on_reply) owed_.push_back({entry.phase, std::move(entry.on_reply)});
      }
      queued_.clear();
      write(batch, phase, last_content);
      return;
    }
    for (size_t i = 0; i < queued_.size(); ++i) {
      Entry& entry = queued_[i];
      record(entry);
      write(entry.command + entry.content, entry.phase, entry.last_content);
      if (entry.on_reply && entry.on_reply(read_reply(entry.phase)) == Next::stop) break;
    }
    queued_.clear();
  }

  // Reads every reply owed, in order, each to its handler.
  void receive() {
    for (Owed& owed : owed_) owed.on_reply(read_reply(owed.phase));
    owed_.clear();
  }

 private:
  struct Owed {
    Phase phase;
    std::function<Next(const Reply&)> on_reply;
  };

  void record(const Entry& entry) {
    if (!entry.command.empty()) session_.transcript().client(entry.command);
    if (!entry.content.empty()) session_.transcript().client_body(entry.content.size());
  }

  void write(const std::string& bytes, Phase phase, bool last_content) {
    session_.write(bytes, phase, deadline_);
    content_written_ = content_written_ || last_content;
  }

  // Once the last byte of the content is on the wire, a reply that does not
  // come (a lost connection, a timeout, garbage) means the server may have
  // taken the message, whichever reply was still owed (an envelope reply
  // pipelined ahead of the content too): say so, so nobody retries it blindly.
  Reply read_reply(Phase phase) {
    try {
      return session_.read_reply(phase, deadline_);
    } catch (SmtpError& error) {
      if (content_written_) mark_outcome_unknown(error.failure());
      throw;
    }
  }

  Session& session_;
  const net::Deadline deadline_;
  const bool pipelining_;
  std::vector<Entry> queued_;
  std::vector<Owed> owed_;
  bool content_written_ = false;
};

class Transaction {
 public:
  Transaction(Session& session, const Envelope& envelope, BodySource& body, net::Deadline deadline)
      : session_(session),
        envelope_(envelope),
        body_(body),
        deadline_(deadline),
        capabilities_(session.capabilities()),
        pipelining_(capabilities_.esmtp && capabilities_.pipelining),
        chunking_(capabilities_.esmtp && capabilities_.chunking),
        pump_(body, chunking_ ? DataEncoder::Mode::bdat : DataEncoder::Mode::data),
        pipeline_(session, deadline, pipelining_) {}

  TransactionResult run() {
    pump_.next_chunk(chunk_);
    check_size();
    session_.begin_transaction();
    queue_envelope();
    // RFC 2920 3.1: DATA (or BDAT) goes in the envelope's write; without
    // PIPELINING only once a recipient has been accepted.
    if (pipelining_) queue_content_start();
    exchange();
    if (!envelope_accepted()) {
      end_unwanted_data();
      fail_envelope();
    }
    if (!pipelining_) {
      queue_content_start();
      exchange();
    }
    chunking_ ? send_remaining_chunks() : send_data_content();
    session_.end_transaction();
    return std::move(result_);
  }

 private:
  void exchange() {
    pipeline_.send();
    pipeline_.receive();
  }

  // RFC 1870: refuse before sending when the server said the message is too large.
  void check_size() {
    if (!capabilities_.size_advertised || capabilities_.size_limit == 0) return;
    const size_t known = pump_.done() ? chunk_.size() : body_.size_hint();
    if (known <= capabilities_.size_limit) return;
    SmtpFailure failure =
        refusal(ErrorKind::rejected, Phase::mail,
                "the message is " + std::to_string(known) + " bytes and the server accepts at most " +
                    std::to_string(capabilities_.size_limit) + " (SIZE): send smaller attachments.",
                "Send smaller attachments.");
    failure.smtp_code = 552;
    failure.enhanced_status = "5.3.4";
    session_.fail(std::move(failure));
  }

  std::string mail_from() const {
    std::string command = "MAIL FROM:<" + envelope_.mail_from + ">";
    if (capabilities_.esmtp) {
      const size_t size = pump_.done() ? chunk_.size() : body_.size_hint();
      if (capabilities_.size_advertised && size > 0) command += " SIZE=" + std::to_string(size);
      if (body_.has_8bit() && capabilities_.eightbitmime) command += " BODY=8BITMIME";
      if (envelope_.smtputf8 && capabilities_.smtputf8) command += " SMTPUTF8";  // RFC 6531 3.4
      command += envelope_.mail_parameters;
    }
    return command + "\r\n";
  }

  // MAIL FROM, then RCPT TO for each recipient (RFC 2920 3.1: replies in order).
  void queue_envelope() {
    pipeline_.queue({Phase::mail, mail_from(), {}, false, [this](const Reply& reply) {
                       mail_reply_ = reply;
                       return reply.positive() ? Next::go_on : Next::stop;
                     }});
    for (size_t i = 0; i < envelope_.rcpt_to.size(); ++i) {
      const std::string& rcpt = envelope_.rcpt_to[i];
      const std::string parameters =
          capabilities_.esmtp && i < envelope_.rcpt_parameters.size() ? envelope_.rcpt_parameters[i] : "";
      pipeline_.queue({Phase::rcpt,
                       "RCPT TO:<" + rcpt + ">" + parameters + "\r\n",
                       {},
                       false,
                       [this, &rcpt](const Reply& reply) {
                         if (reply.positive())
                           result_.accepted.push_back(rcpt);
                         else
                           result_.rejected.push_back({rcpt, reply});
                         return Next::go_on;
                       }});
    }
  }

  // BDAT with the first chunk (RFC 3030), or DATA (RFC 5321 4.1.1.4).
  void queue_content_start() {
    if (chunking_) {
      queue_chunk();
      return;
    }
    pipeline_.queue({Phase::data, "DATA\r\n", {}, false, [this](const Reply& reply) {
                       data_reply_ = reply;
                       return Next::go_on;
                     }});
  }

  // The current chunk behind its BDAT command. Its reply is the final one when
  // the chunk is the last; the first refusal is the one reported.
  void queue_chunk() {
    const bool last = pump_.done();
    pipeline_.queue(
        {Phase::data, bdat(chunk_.size(), last), std::move(chunk_), last, [this](const Reply& reply) {
           content_reply_ = reply;
           if (reply.positive()) return Next::go_on;
           if (!refusal_) refusal_ = reply;
           return Next::stop;
         }});
    chunk_.clear();
  }

  bool envelope_accepted() const { return mail_reply_.positive() && !result_.accepted.empty(); }

  // RFC 2920 3.1: a pipelined DATA accepted though nobody can receive the
  // message is ended empty.
  void end_unwanted_data() {
    if (data_reply_.code != 354) return;
    pipeline_.queue({Phase::data, ".\r\n", {}, false, [](const Reply&) { return Next::go_on; }});
    exchange();
  }

  // The envelope was refused: say why, and leave the session clean for the next message.
  [[noreturn]] void fail_envelope() {
    session_.reset(deadline_);
    if (!mail_reply_.positive())
      session_.fail(ErrorKind::rejected, Phase::mail, mail_reply_, "the server refused the sender");
    const Reply& first = result_.rejected.front().reply;
    SmtpFailure failure =
        failure_from_reply(ErrorKind::rejected, Phase::rcpt, first,
                           result_.rejected.size() == 1 ? "the server refused the recipient"
                                                        : "the server refused every recipient",
                           session_.settings().host);
    for (const RecipientRejection& rejection : result_.rejected)
      failure.rejected.emplace_back(rejection.address, rejection.reply.text());
    session_.fail(std::move(failure));
  }

  void finish(const Reply& final_reply) {
    if (!final_reply.positive()) {
      session_.reset(deadline_);
      session_.fail(ErrorKind::rejected, Phase::data, final_reply, "the server refused the message");
    }
    result_.final_reply = final_reply;
  }

  // Every chunk after the first, each behind its BDAT. Under PIPELINING they
  // stream without waiting, once the first chunk's reply said the rest is wanted.
  void send_remaining_chunks() {
    while (!pump_.done() && !refusal_) {
      pump_.next_chunk(chunk_);
      queue_chunk();
      pipeline_.send();
    }
    pipeline_.receive();
    finish(refusal_.value_or(content_reply_));
  }

  // RFC 5321 4.1.1.4: only 354 asks for the content. A refusal ends the
  // transaction (RSET); any other positive reply is a server out of step, and
  // content sent into it would be read as commands.
  void expect_354() {
    if (data_reply_.code == 354) return;
    if (!data_reply_.positive()) finish(data_reply_);
    session_.abandon();
    session_.fail(ErrorKind::protocol, Phase::data, data_reply_,
                  "the server answered DATA without asking for the content (354), so none was sent");
  }

  // The content, a chunk per write; the encoder ends the last with ".\r\n",
  // whose reply is the final one.
  void send_data_content() {
    expect_354();
    while (true) {
      const bool last = pump_.done();
      Entry entry{Phase::data, {}, std::move(chunk_), last, {}};
      if (last) {
        entry.on_reply = [this](const Reply& reply) {
          content_reply_ = reply;
          return Next::go_on;
        };
      }
      pipeline_.queue(std::move(entry));
      pipeline_.send();
      if (last) break;
      pump_.next_chunk(chunk_);
    }
    session_.transcript().client(".\r\n");
    pipeline_.receive();
    finish(content_reply_);
  }

  Session& session_;
  const Envelope& envelope_;
  BodySource& body_;
  const net::Deadline deadline_;
  const Capabilities& capabilities_;
  const bool pipelining_;
  const bool chunking_;
  ContentPump pump_;
  Pipeline pipeline_;
  std::string chunk_;
  Reply mail_reply_;
  Reply data_reply_;
  Reply content_reply_;           // the reply to the last content sent
  std::optional<Reply> refusal_;  // the first refused BDAT chunk
  TransactionResult result_;
};

}  // namespace

TransactionResult run_transaction(Session& session, const Envelope& envelope, BodySource& body,
                                  net::Deadline deadline) {
  try {
    return Transaction(session, envelope, body, deadline).run();
  } catch (const SmtpError&) {
    throw;  // the transaction left the session clean (RSET) or closed it
  } catch (...) {
    // Anything else (an attachment that fails to read mid-stream, no memory)
    // leaves a transaction open on the wire: the next message's "BDAT n LAST"
    // would complete this one for its recipients. The session must never carry
    // another command.
    session.abandon();
    throw;
  }
}

}  // namespace smtpx::smtp
