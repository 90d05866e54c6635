#include "mailer.h"

#include <algorithm>
#include <cstring>
#include <optional>

#include "../dkim/signed_message.h"
#include "../line_breaks.h"
#include "../mime/encoders.h"
#include "../mime/writer.h"
#include "../oauth/token_cache.h"
#include "../smtp/dsn.h"
#include "../smtp/failure.h"
#include "api_delivery.h"
#include "port_memory.h"
#include "port_tallies.h"

namespace smtpx::delivery {

namespace {

double seconds_since(net::Clock::time_point start) {
  return std::chrono::duration<double>(net::Clock::now() - start).count();
}

[[noreturn]] void fail_to_reach(const std::string& host, const net::NetworkError& error) {
  SmtpFailure failure = smtp::failure_from_network(error, Phase::connect);
  failure.host = host;
  throw SmtpError(std::move(failure));
}

// The field a recipient came from ("cc[1]"), so an error about it names what the caller wrote.
std::string recipient_field(const Message& message, const Mailbox& recipient) {
  for (const auto& [name, list] :
       {std::pair{"to", &message.to}, {"cc", &message.cc}, {"bcc", &message.bcc}}) {
    for (size_t i = 0; i < list->size(); ++i)
      if ((*list)[i].address == recipient.address) return std::string(name) + "[" + std::to_string(i) + "]";
  }
  return "to";
}

// RFC 5322 2.1.1 and RFC 5321 4.5.3.1.6: no line over 998 octets, no NUL.
// Servers truncate, refuse or mangle such messages (some after accepting
// them), and a NUL can cut a header short in a C-string parser downstream.
void check_raw_mime(std::string_view mime) {
  if (std::memchr(mime.data(), '\0', mime.size()) != nullptr)
    throw InvalidInput("mime", "holds a NUL byte, which no mail server takes: encode binary parts (base64)");
  const size_t longest = longest_line(mime);
  if (longest > mime::kMaxLineLength)
    throw InvalidInput("mime", "has a line of " + std::to_string(longest) + " octets; at most " +
                                   std::to_string(mime::kMaxLineLength) +
                                   " are allowed (RFC 5322 2.1.1): encode long lines (quoted-printable or "
                                   "base64), or let smtpx_send() compose the message");
}

smtp::Envelope envelope_for(const Message& message, const Capabilities& capabilities) {
  smtp::Envelope envelope;
  const Mailbox& sender = message.envelope_sender();
  envelope.mail_from = address_for_server(sender, capabilities.smtputf8, message.sender ? "sender" : "from");
  envelope.smtputf8 = sender.needs_smtputf8() || message.from.needs_smtputf8();
  const bool dsn = capabilities.dsn && message.dsn.requested();
  if (dsn) envelope.mail_parameters = smtp::dsn_mail_parameters(message.dsn);
  for (const Mailbox& rcpt : message.recipients()) {
    envelope.rcpt_to.push_back(
        address_for_server(rcpt, capabilities.smtputf8, recipient_field(message, rcpt)));
    envelope.smtputf8 = envelope.smtputf8 || rcpt.needs_smtputf8();
    if (dsn) envelope.rcpt_parameters.push_back(smtp::dsn_rcpt_parameters(message.dsn, rcpt.address));
  }
  return envelope;
}

}  // namespace

Mailer::Mailer(Transport transport, Pool* pool)
    : transport_(std::move(transport)), pool_(transport_.persistent ? pool : nullptr) {
  transport_.validate();
  // The keys are read and checked now: a bad one is refused before anything is sent.
  for (size_t i = 0; i < transport_.dkim.size(); ++i)
    signers_.emplace_back(transport_.dkim[i], transport_.dkim.size() == 1
                                                  ? "transport.dkim"
                                                  : "transport.dkim[" + std::to_string(i) + "]");
  if (auto implied = provider_api_fallback(transport_)) {
    transport_.fallback = std::move(implied);
    fallback_implied_ = true;
  }
}

Mailer::~Mailer() {
  close();
}

void Mailer::close() {
  if (session_) session_->quit();
  session_.reset();
  if (fallback_) fallback_->close();
}

void Mailer::abandon() {
  if (session_) session_->abandon();
  session_.reset();
  if (fallback_) fallback_->abandon();
}

std::unique_ptr<smtp::Session> Mailer::open_session(net::Deadline deadline, SendResult& result) {
  PortMemory& memory = PortMemory::process();
  std::vector<PortChoice> plan = transport_.port_plan();
  const std::optional<PortChoice> remembered = memory.recall(transport_.host);
  bool remembered_in_plan = false;
  if (remembered) {
    const auto known = std::find_if(plan.begin(), plan.end(), [&](const PortChoice& choice) {
      return choice.port == remembered->port && choice.tls == remembered->tls;
    });
    remembered_in_plan = known != plan.end();
    if (remembered_in_plan) std::rotate(plan.begin(), known, known + 1);
  }
  // connect_timeout bounds the whole race: every port, each address, each greeting.
  const net::Deadline connect_deadline = deadline.earliest(net::Deadline::in(transport_.connect_timeout));
  RaceResult race;
  try {
    race = race_ports(transport_.host, plan, transport_.stagger, connect_deadline);
  } catch (const net::NetworkError& error) {
    fail_to_reach(transport_.host, error);  // the name did not resolve
  }
  PortTallies::process().count(race.attempts);
  result.attempts.insert(result.attempts.end(), race.attempts.begin(), race.attempts.end());
  if (!race.winner) {
    // The remembered port failed too: the next send starts over from the plan.
    if (remembered_in_plan) memory.forget(transport_.host);
    // The server answered on every port and refused the session there: that
    // refusal, not reachability, is the failure (RFC 5321 3.1: 554 or 421).
    const bool all_refused =
        std::all_of(race.attempts.begin(), race.attempts.end(),
                    [](const PortAttempt& attempt) { return attempt.fate == AttemptFate::greeting_refused; });
    if (all_refused && !race.attempts.empty()) {
      SmtpFailure failure =
          smtp::failure_from_reply(ErrorKind::connect, Phase::greeting, race.attempts.back().refusal,
                                   transport_.host + " refused the session", transport_.host);
      failure.host = transport_.host;
      failure.port = race.attempts.back().choice.port;
      throw SmtpError(std::move(failure));
    }
    fail_to_reach(transport_.host,
                  net::NetworkError(net::Fault::unreachable,
                                    "could not reach " + transport_.host + " on any port (" +
                                        describe_attempts(race.attempts) + ")",
                                    "check the host name, or ask the hosting provider which outgoing ports "
                                    "it allows"));
  }
  // Only the candidate's connection is settled by the race; TLS, verification
  // and AUTH follow here exactly as on any port, and their failures are final.
  auto session = std::make_unique<smtp::Session>(transport_.session_settings(race.winner->choice));
  counters().count_opened();
  session->open_on(std::move(race.winner->socket), deadline, race.winner->received);
  memory.remember(transport_.host, race.winner->choice);
  return session;
}

void Mailer::prepare_oauth(SendResult& result) {
  if (transport_.oauth.empty()) return;
  oauth::TokenCache& cache = oauth::TokenCache::process();
  const oauth::OAuthSettings settings = transport_.oauth;
  const std::string cafile = transport_.cafile;
  const bool verify = transport_.tls_verify;
  const double timeout = std::min(transport_.connect_timeout + transport_.reply_timeout, transport_.timeout);
  const oauth::TokenCache::Fetch fetch = [settings, cafile, verify,
                                          timeout](const std::string& refresh_token) {
    oauth::OAuthSettings current = settings;
    current.refresh_token = refresh_token;
    return oauth::request_access_token(current, cafile, verify, net::Deadline::in(timeout));
  };
  oauth::TokenCache::Use use = cache.token(settings, fetch);
  if (!use.rotated_refresh_token.empty()) result.rotated_refresh_token = use.rotated_refresh_token;
  transport_.credentials.oauth_token = use.access_token;
  // Called, if at all, while this send authenticates; what it learns is
  // handed back through `rotated`, not through this Mailer, which a pooled
  // session's settings outlive.
  auto rotated = std::make_shared<std::string>();
  rotated_refresh_token_ = rotated;
  transport_.credentials.renew_oauth_token = [&cache, settings, fetch, refused = use.access_token, rotated] {
    cache.discard(settings, refused);
    oauth::TokenCache::Use renewed = cache.token(settings, fetch);
    if (!renewed.rotated_refresh_token.empty()) *rotated = renewed.rotated_refresh_token;
    return renewed.access_token;
  };
}

std::string Mailer::latest_refresh_token(const SendResult& result) const {
  if (rotated_refresh_token_ && !rotated_refresh_token_->empty()) return *rotated_refresh_token_;
  return result.rotated_refresh_token;
}

std::unique_ptr<smtp::Session> Mailer::take_from_pool() {
  for (const PortChoice& choice : transport_.port_plan())
    if (auto session = pool_->take(PoolKey::of(transport_.session_settings(choice)))) return session;
  return nullptr;
}

template <typename Attempt>
SendResult Mailer::deliver(Attempt&& attempt) {
  const net::Clock::time_point started = net::Clock::now();
  const net::Deadline deadline = net::Deadline::in(transport_.timeout);
  SendResult result;
  prepare_oauth(result);
  try {
    return deliver_prepared(std::forward<Attempt>(attempt), started, deadline, result);
  } catch (SmtpError& error) {
    // A refresh token rotated on the way must reach the caller even when the send failed.
    error.failure().rotated_refresh_token = latest_refresh_token(result);
    throw;
  }
}

template <typename Attempt>
SendResult Mailer::deliver_prepared(Attempt&& attempt, net::Clock::time_point started, net::Deadline deadline,
                                    SendResult& result) {
  if (!session_ && pool_) session_ = take_from_pool();
  result.reused = session_ && session_->reusable();
  if (result.reused) {
    // A kept session's transcript starts at this message; a new one's shows its opening too.
    session_->transcript().clear();
  } else {
    if (session_) session_->abandon();
    session_ = open_session(deadline, result);
  }
  smtp::TransactionResult transaction;
  try {
    try {
      transaction = attempt(*session_, deadline, result);
    } catch (SmtpError& error) {
      if (!result.reused || !smtp::worth_a_fresh_connection(error.failure())) throw;
      // Once, on a fresh connection: the kept one was closed while idle.
      counters().count_dropped(DropReason::dead);
      session_ = open_session(deadline, result);
      result.reused = false;
      transaction = attempt(*session_, deadline, result);
    }
  } catch (SmtpError&) {
    // A failed transaction ended with RSET, so an open session can carry the next one.
    if (pool_)
      pool_->put(std::move(session_), transport_.pool);
    else if (!session_->is_open())
      session_.reset();
    throw;
  }
  result.accepted = std::move(transaction.accepted);
  for (const smtp::RecipientRejection& rejection : transaction.rejected)
    result.rejected.emplace_back(rejection.address, rejection.reply.text());
  result.reply = transaction.final_reply.text();
  result.host = session_->settings().host;
  result.port = session_->settings().port;
  result.tls = session_->tls_version().value_or("");
  if (transport_.debug) result.transcript = session_->transcript().text();
  result.seconds = seconds_since(started);
  result.rotated_refresh_token = latest_refresh_token(result);
  if (pool_) pool_->put(std::move(session_), transport_.pool);
  return std::move(result);
}

namespace {

// While the primary cannot reach its server, the fallback's win is
// remembered for the host like a port (in the port memory, shared by the
// host's workers), so the next sends go straight to the fallback instead of
// waiting for blocked ports; the primary is tried again once it expires.
// The key names the primary's ports too: another transport to the same host
// may well get through on its own ports.
std::string fallback_memory_key(const Transport& transport) {
  std::string key = "fallback:" + transport.host;
  for (const PortChoice& choice : transport.port_plan()) key += "," + std::to_string(choice.port);
  return key;
}

}  // namespace

template <typename Here, typename There>
SendResult Mailer::with_fallback(Here&& here, There&& there) {
  if (!transport_.fallback) return here();
  const auto fallback = [&]() -> Mailer& {
    if (!fallback_) fallback_ = std::make_unique<Mailer>(*transport_.fallback, pool_);
    return *fallback_;
  };
  PortMemory& memory = PortMemory::process();
  const std::string key = fallback_memory_key(transport_);
  if (memory.recall(key)) {
    try {
      return there(fallback());
    } catch (const SmtpError& error) {
      if (!smtp::may_fall_back(error.failure())) throw;
      memory.forget(key);  // the fallback fails too: the primary may be back
    }
  }
  try {
    return here();
  } catch (const SmtpError& primary) {
    if (!smtp::may_fall_back(primary.failure())) throw;
    SendResult result;
    try {
      result = there(fallback());
    } catch (const SmtpError& also) {
      throw SmtpError(smtp::failure_of_both(primary.failure(), also.failure()));
    }
    if (primary.failure().phase == Phase::connect) memory.remember(key, {443, smtp::TlsMode::implicit});
    result.fallback_from = primary.failure().message;
    return result;
  }
}

SendResult Mailer::send(const Message& message) {
  smtp::validate_dsn(message.dsn);
  return with_fallback([&] { return transport_.api.empty() ? send_by_smtp(message) : send_by_api(message); },
                       [&](Mailer& fallback) { return fallback.send(message); });
}

SendResult Mailer::send_raw(const RawMessage& message) {
  const auto here = [&] {
    return transport_.api.empty() ? send_raw_by_smtp(message) : send_raw_by_api(message);
  };
  const Transport* fallback = transport_.fallback.get();
  if (fallback != nullptr && !fallback->api.empty() &&
      !api::provider_named(fallback->api.name)->takes_raw_mime) {
    // A JSON API cannot take the caller's MIME. Found only after the primary
    // failed, that would make a blocked port a refusal: the fallback SendGrid's
    // and Postmark's SMTP hosts imply is left out of a raw send, and one given
    // is refused now, before anything is sent.
    if (fallback_implied_) return here();
    throw InvalidInput("mime",
                       fallback->api.name +
                           "+api (transport.fallback) takes the message's fields, not MIME: send it with "
                           "smtpx_send(), or give smtpx_send_raw() an SMTP or raw-MIME (mailgun+api, "
                           "ses+api) fallback");
  }
  return with_fallback(here, [&](Mailer& fallback_mailer) { return fallback_mailer.send_raw(message); });
}

SendResult Mailer::send_by_api(const Message& message) {
  api::Outgoing outgoing;
  outgoing.message = &message;
  outgoing.envelope_from = message.envelope_sender().address;
  for (const Mailbox& recipient : message.recipients()) outgoing.recipients.push_back(recipient.address);
  std::string mime;
  std::string message_id;
  if (api::provider_named(transport_.api.name)->takes_raw_mime) {
    // HTTP carries 8-bit bytes, but the provider relays the message over SMTP
    // to servers that may not: composed as for a server without 8BITMIME.
    mime::MessageWriter writer(message, mime::ComposeOptions{});
    while (writer.read(mime, 1 << 20)) {
    }
    message_id = writer.message_id();
    if (!signers_.empty()) mime = dkim::with_signatures(mime, signers_);
    outgoing.mime = mime;
  }
  SendResult result = deliver_by_api(transport_, outgoing);
  result.message_id = std::move(message_id);
  return result;
}

SendResult Mailer::send_raw_by_api(const RawMessage& message) {
  api::Outgoing outgoing;
  outgoing.envelope_from = parse_mailbox(message.from, "from").address;
  for (size_t i = 0; i < message.recipients.size(); ++i)
    outgoing.recipients.push_back(
        parse_mailbox(message.recipients[i], "recipients[" + std::to_string(i) + "]").address);
  if (outgoing.recipients.empty()) throw InvalidInput("recipients", "is empty: give at least one recipient");
  check_raw_mime(message.mime);
  const std::string signed_mime =
      signers_.empty() ? std::string() : dkim::with_signatures(message.mime, signers_);
  outgoing.mime = signers_.empty() ? message.mime : std::string_view(signed_mime);
  return deliver_by_api(transport_, outgoing);
}

SendResult Mailer::send_by_smtp(const Message& message) {
  // The message is composed before connecting, which finds every error in the
  // input (an unreadable attachment, a bad header) while nothing has been sent.
  // It is composed for the server this mailer last spoke to; only when the
  // server turns out to differ, or a retry needs a fresh stream, is it composed
  // again. Until a server is known, a UTF-8 local part passes: only EHLO can say
  // whether it may be sent.
  mime::ComposeOptions options;
  options.server_8bitmime = last_server_.eightbitmime;
  options.server_smtputf8 = last_server_.smtputf8 || !last_server_.known;
  std::optional<mime::MessageWriter> writer(std::in_place, message, options);
  options.message_id = writer->message_id();
  bool writer_used = false;
  return deliver([&](smtp::Session& session, net::Deadline deadline, SendResult& result) {
    const Capabilities& capabilities = session.capabilities();
    last_server_ = {true, capabilities.eightbitmime, capabilities.smtputf8};
    const smtp::Envelope envelope = envelope_for(message, capabilities);
    result.dsn_ignored = message.dsn.requested() && !capabilities.dsn;
    if (writer_used || options.server_8bitmime != capabilities.eightbitmime ||
        options.server_smtputf8 != capabilities.smtputf8) {
      options.server_8bitmime = capabilities.eightbitmime;
      options.server_smtputf8 = capabilities.smtputf8;
      writer.emplace(message, options);
    }
    writer_used = true;
    result.message_id = writer->message_id();
    if (signers_.empty()) return smtp::run_transaction(session, envelope, *writer, deadline);
    // Signed: composed (twice, for the body hash) from the same options.
    dkim::SignedMessage signed_message(message, options, signers_);
    return smtp::run_transaction(session, envelope, signed_message, deadline);
  });
}

SendResult Mailer::send_raw_by_smtp(const RawMessage& message) {
  const Mailbox from = parse_mailbox(message.from, "from");
  std::vector<Mailbox> recipients;
  for (size_t i = 0; i < message.recipients.size(); ++i)
    recipients.push_back(parse_mailbox(message.recipients[i], "recipients[" + std::to_string(i) + "]"));
  if (recipients.empty()) throw InvalidInput("recipients", "is empty: give at least one recipient");
  check_raw_mime(message.mime);
  // Signed once, not per attempt: a retry on a fresh connection sends the same bytes.
  const std::string signed_mime =
      signers_.empty() ? std::string() : dkim::with_signatures(message.mime, signers_);
  return deliver([&](smtp::Session& session, net::Deadline deadline, SendResult&) {
    const bool smtputf8 = session.capabilities().smtputf8;
    smtp::Envelope envelope;
    envelope.mail_from = address_for_server(from, smtputf8, "from");
    envelope.smtputf8 = from.needs_smtputf8();
    for (size_t i = 0; i < recipients.size(); ++i) {
      envelope.rcpt_to.push_back(
          address_for_server(recipients[i], smtputf8, "recipients[" + std::to_string(i) + "]"));
      envelope.smtputf8 = envelope.smtputf8 || recipients[i].needs_smtputf8();
    }
    StringBodySource body(signers_.empty() ? message.mime : std::string_view(signed_mime));
    return smtp::run_transaction(session, envelope, body, deadline);
  });
}

}  // namespace smtpx::delivery
