// A message as the caller describes it, after validation: the core's input to
// the MIME writer and to the envelope. Nothing here is encoded yet.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "address.h"

namespace smtpx {

struct Attachment {
  std::string path;        // read in a stream when set
  std::string data;        // the bytes themselves when no path is set
  std::string name;        // file name shown to the reader
  std::string type;        // MIME type; guessed from the name when empty
  std::string content_id;  // set for inline parts referenced by cid:
};

// Delivery status notifications asked of the servers (RFC 3461), sent when
// the submission server offers DSN.
struct DsnRequest {
  std::vector<std::string>
      notify;         // "NEVER", or any of "SUCCESS", "FAILURE", "DELAY"; empty: the server's default
  std::string ret;    // "FULL" or "HDRS"; empty: the server's default
  std::string envid;  // the sender's id for this message, echoed in the reports
  bool requested() const { return !notify.empty() || !ret.empty() || !envid.empty(); }
};

struct Message {
  Mailbox from;
  std::optional<Mailbox> sender;  // envelope sender (Return-Path) when it differs from From
  std::vector<Mailbox> to, cc, bcc, reply_to;
  std::string subject;
  std::optional<std::string> text, html;
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers, in order
  std::vector<Attachment> attachments;
  std::string charset = "UTF-8";
  DsnRequest dsn;

  // Every envelope recipient once, in to, cc, bcc order.
  std::vector<Mailbox> recipients() const;
  const Mailbox& envelope_sender() const { return sender ? *sender : from; }
};

}  // namespace smtpx
