#include "transaction.h"

#include <optional>

#include "data_encoder.h"

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
        pump_(body, chunking_ ? DataEncoder::Mode::bdat : DataEncoder::Mode::data) {}

  TransactionResult run() {
    pump_.next_chunk(chunk_);
    check_size();
    if (pipelining_) {
      chunking_ ? pipelined_bdat() : pipelined_data();
    } else {
      lockstep();
    }
    session_.count_transaction();
    return std::move(result_);
  }

 private:
  // RFC 1870: refuse before sending when the server said the message is too large.
  void check_size() {
    if (!capabilities_.size_advertised || capabilities_.size_limit == 0) return;
    const size_t known = pump_.done() ? chunk_.size() : body_.size_hint();
    if (known <= capabilities_.size_limit) return;
    SmtpFailure failure;
    failure.kind = ErrorKind::rejected;
    failure.phase = Phase::mail;
    failure.message = "the message is " + std::to_string(known) + " bytes and the server accepts at most " +
                      std::to_string(capabilities_.size_limit) + " (SIZE): send smaller attachments.";
    failure.smtp_code = 552;
    failure.enhanced_status = "5.3.4";
    failure.host = session_.settings().host;
    failure.port = session_.settings().port;
    throw SmtpError(std::move(failure));
  }

  std::string mail_from() const {
    std::string command = "MAIL FROM:<" + envelope_.mail_from + ">";
    if (capabilities_.esmtp) {
      const size_t size = pump_.done() ? chunk_.size() : body_.size_hint();
      if (capabilities_.size_advertised && size > 0) command += " SIZE=" + std::to_string(size);
      if (body_.has_8bit() && capabilities_.eightbitmime) command += " BODY=8BITMIME";
      if (envelope_.smtputf8 && capabilities_.smtputf8) command += " SMTPUTF8";  // RFC 6531 3.4
    }
    return command + "\r\n";
  }

  std::string envelope_commands() const {
    std::string commands = mail_from();
    for (const std::string& rcpt : envelope_.rcpt_to) commands += "RCPT TO:<" + rcpt + ">\r\n";
    return commands;
  }

  // Reads the MAIL reply and one reply per RCPT, in order (RFC 2920 3.1).
  void read_envelope_replies() {
    mail_reply_ = read_reply(Phase::mail);
    for (const std::string& rcpt : envelope_.rcpt_to) {
      Reply reply = read_reply(Phase::rcpt);
      if (reply.positive())
        result_.accepted.push_back(rcpt);
      else
        result_.rejected.push_back({rcpt, std::move(reply)});
    }
  }

  bool envelope_accepted() const { return mail_reply_.positive() && !result_.accepted.empty(); }

  // The envelope was refused: say why, and leave the session clean for the next message.
  [[noreturn]] void fail_envelope() {
    session_.reset(deadline_);
    if (!mail_reply_.positive())
      session_.fail(ErrorKind::rejected, Phase::mail, mail_reply_, "the server refused the sender");
    const Reply& first = result_.rejected.front().reply;
    try {
      session_.fail(ErrorKind::rejected, Phase::rcpt, first,
                    result_.rejected.size() == 1 ? "the server refused the recipient"
                                                 : "the server refused every recipient");
    } catch (SmtpError& error) {
      for (const RecipientRejection& rejection : result_.rejected)
        error.failure().rejected.emplace_back(rejection.address, rejection.reply.text());
      throw;
    }
  }

  // Reads the next reply owed. Once the last byte of the content is on the
  // wire, a reply that does not come (a lost connection, a timeout, garbage)
  // means the server may have taken the message, whichever reply was still
  // owed (an envelope reply pipelined ahead of the content too): say so, so
  // nobody retries it blindly.
  Reply read_reply(Phase phase) {
    try {
      return session_.read_reply(phase, deadline_);
    } catch (SmtpError& error) {
      if (!content_written_) throw;
      error.failure().outcome_unknown = true;
      error.failure().transient = false;
      error.failure().message +=
          " The whole message was sent but no final reply arrived: the server may have accepted it, "
          "so it was not retried; check the recipient's mailbox or the server's log before sending again.";
      throw;
    }
  }

  // Writes commands and content; `last` when the last byte of the content is
  // among them, from which on a missing reply is an unknown outcome.
  void write(std::string_view bytes, Phase phase, bool last) {
    session_.write(bytes, phase, deadline_);
    content_written_ = content_written_ || last;
  }

  void finish(const Reply& final_reply) {
    if (!final_reply.positive()) {
      session_.reset(deadline_);
      session_.fail(ErrorKind::rejected, Phase::data, final_reply, "the server refused the message");
    }
    result_.final_reply = final_reply;
  }

  // Streams every chunk after the first, each behind its BDAT command, without
  // waiting between them; returns the number of BDAT commands written.
  size_t stream_bdat_chunks() {
    size_t commands = 0;
    while (!pump_.done()) {
      pump_.next_chunk(chunk_);
      write_content(bdat(chunk_.size(), pump_.done()), chunk_);
      ++commands;
    }
    return commands;
  }

  void write_content(const std::string& commands, const std::string& content) {
    session_.transcript().client(commands);
    session_.transcript().client_body(content.size());
    write(commands + content, Phase::data, pump_.done());
  }

  // RFC 3030 + RFC 2920: MAIL, RCPT..., BDAT n LAST and the content in one write.
  void pipelined_bdat() {
    const bool whole = pump_.done();
    const std::string head = envelope_commands() + bdat(chunk_.size(), whole);
    session_.transcript().client(head);
    session_.transcript().client_body(chunk_.size());
    write(head + chunk_, Phase::mail, whole);
    read_envelope_replies();
    if (whole) {
      const Reply reply = read_reply(Phase::data);
      if (!envelope_accepted()) fail_envelope();
      finish(reply);
      return;
    }
    // A large message: the first chunk's reply tells whether the rest is wanted.
    const Reply first = read_reply(Phase::data);
    if (!envelope_accepted()) fail_envelope();
    if (!first.positive()) finish(first);
    // RFC 3030 4.2: every BDAT gets a reply, also after one failed ("503 5.5.0
    // Previous data chunk failed"); all are read, in order, before RSET, or
    // RSET's own reply would be taken from the queue one behind.
    const size_t more = stream_bdat_chunks();
    Reply reply;
    std::optional<Reply> refusal;
    for (size_t i = 0; i < more; ++i) {
      reply = read_reply(Phase::data);
      if (!reply.positive() && !refusal) refusal = reply;
    }
    finish(refusal.value_or(reply));
  }

  // RFC 2920: MAIL, RCPT... and DATA in one write; the content after the 354.
  void pipelined_data() {
    session_.send(envelope_commands() + "DATA\r\n", Phase::mail, deadline_);
    read_envelope_replies();
    const Reply data = session_.read_reply(Phase::data, deadline_);
    if (data.code == 354 && !envelope_accepted()) {
      // RFC 2920 3.1: DATA was accepted though nobody can receive it; end it empty.
      session_.send(".\r\n", Phase::data, deadline_);
      session_.read_reply(Phase::data, deadline_);
    }
    if (!envelope_accepted()) fail_envelope();
    expect_354(data);
    send_data_content();
  }

  // RFC 5321 4.1.1.4: only 354 asks for the content. A refusal ends the
  // transaction (RSET); any other positive reply is a server out of step, and
  // content sent into it would be read as commands.
  void expect_354(const Reply& data) {
    if (data.code == 354) return;
    if (!data.positive()) finish(data);
    session_.abandon();
    session_.fail(ErrorKind::protocol, Phase::data, data,
                  "the server answered DATA without asking for the content (354), so none was sent");
  }

  void send_data_content() {
    while (true) {
      session_.transcript().client_body(chunk_.size());
      write(chunk_, Phase::data, pump_.done());
      if (pump_.done()) break;
      pump_.next_chunk(chunk_);
    }
    session_.transcript().client(".\r\n");
    finish(read_reply(Phase::data));
  }

  // Without PIPELINING, one command and its reply at a time (RFC 5321 3.3).
  void lockstep() {
    mail_reply_ = session_.command(mail_from(), Phase::mail, deadline_);
    if (!mail_reply_.positive()) fail_envelope();
    for (const std::string& rcpt : envelope_.rcpt_to) {
      Reply reply = session_.command("RCPT TO:<" + rcpt + ">\r\n", Phase::rcpt, deadline_);
      if (reply.positive())
        result_.accepted.push_back(rcpt);
      else
        result_.rejected.push_back({rcpt, std::move(reply)});
    }
    if (!envelope_accepted()) fail_envelope();
    if (chunking_) {
      write_content(bdat(chunk_.size(), pump_.done()), chunk_);
      while (!pump_.done()) {
        const Reply reply = read_reply(Phase::data);
        if (!reply.positive()) finish(reply);
        pump_.next_chunk(chunk_);
        write_content(bdat(chunk_.size(), pump_.done()), chunk_);
      }
      finish(read_reply(Phase::data));
      return;
    }
    const Reply data = session_.command("DATA\r\n", Phase::data, deadline_);
    expect_354(data);
    send_data_content();
  }

  Session& session_;
  const Envelope& envelope_;
  BodySource& body_;
  const net::Deadline deadline_;
  const Capabilities& capabilities_;
  const bool pipelining_;
  const bool chunking_;
  ContentPump pump_;
  std::string chunk_;
  Reply mail_reply_;
  TransactionResult result_;
  bool content_written_ = false;  // the last byte of the content is on the wire
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
