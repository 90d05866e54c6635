#include "api_delivery.h"

#include "../smtp/failure.h"
#include "../text/ascii.h"
#include "api_answer.h"

namespace smtpx::delivery {

namespace {

double seconds_since(net::Clock::time_point start) {
  return std::chrono::duration<double>(net::Clock::now() - start).count();
}

// The host and port of an https:// URL ("[::1]" stays bracketed).
std::pair<std::string, int> host_and_port(const std::string& url) {
  const std::string authority = http::authority_of(url);
  const size_t colon = authority.rfind(':');
  if (colon == std::string::npos || authority.back() == ']') return {authority, 443};
  return {authority.substr(0, colon), std::atoi(authority.c_str() + colon + 1)};
}

// The request as the transcript shows it: the secrets in its headers masked.
std::string transcript_of(const http::Request& request) {
  std::string text = "C: POST " + request.url + "\n";
  for (const std::string& header : request.headers) {
    const std::string name = header.substr(0, header.find(':'));
    const bool secret = text::equals_ignoring_case(name, "authorization") ||
                        text::equals_ignoring_case(name, "api-key") ||
                        text::equals_ignoring_case(name, "x-postmark-server-token");
    text += "C: " + (secret ? name + ": ********" : header) + "\n";
  }
  return text + "C: [" + std::to_string(request.body.size()) + " bytes of body]\n";
}

}  // namespace

SendResult deliver_by_api(const Transport& transport, const api::Outgoing& outgoing) {
  const api::Provider& provider = *api::provider_named(transport.api.name);
  if (provider.max_recipients != 0 && outgoing.recipients.size() > provider.max_recipients) {
    throw InvalidInput("to", "has " + std::to_string(outgoing.recipients.size()) + " recipients in all; " +
                                 std::string(provider.name) + "'s API takes at most " +
                                 std::to_string(provider.max_recipients) + " per message");
  }
  http::Request request = provider.build(transport.api, outgoing);
  if (provider.max_bytes != 0 && request.body.size() > provider.max_bytes) {
    throw InvalidInput(outgoing.message ? "attachments" : "mime",
                       "make the request " + std::to_string(request.body.size()) + " bytes, and " +
                           std::string(provider.name) + "'s API takes at most " +
                           std::to_string(provider.max_bytes) + ": send smaller attachments");
  }
  request.cafile = transport.cafile;
  request.verify = transport.tls_verify;
  request.connect_timeout = transport.connect_timeout;

  const net::Clock::time_point started = net::Clock::now();
  // Not a structured binding: a C++17 lambda (fail, below) cannot capture one, and clang refuses it.
  const std::pair<std::string, int> endpoint = host_and_port(request.url);
  const std::string& host = endpoint.first;
  const int port = endpoint.second;
  std::string transcript = transport.debug ? transcript_of(request) : std::string();
  const auto fail = [&](SmtpFailure failure) {
    failure.host = host;
    failure.port = port;
    failure.transcript = transcript;
    throw SmtpError(std::move(failure));
  };

  http::Response response;
  try {
    response = http::post(request, net::Deadline::in(transport.timeout));
  } catch (const http::TransferError& error) {
    const net::Fault fault = error.fault();
    const Phase phase = fault == net::Fault::tls_setup || fault == net::Fault::tls_refused ||
                                fault == net::Fault::tls_untrusted
                            ? Phase::tls
                        : error.request_sent() ? Phase::data
                                               : Phase::connect;
    SmtpFailure failure = smtp::failure_from_network(error, phase);
    if (error.request_sent()) smtp::mark_outcome_unknown(failure);
    if (transport.debug) transcript += "!: " + failure.message + "\n";
    fail(std::move(failure));
  }
  if (transport.debug)
    transcript += "S: " + response.http_version + " " + std::to_string(response.status) + " [" +
                  std::to_string(response.body.size()) + " bytes]\n";
  if (response.status < 200 || response.status > 299) {
    fail(failure_of_answer(provider, response));
  }

  SendResult result;
  result.transport = std::string(provider.name) + "+api";
  result.provider_message_id = provider.message_id(response);
  result.http_status = response.status;
  result.accepted = outgoing.recipients;
  // The JSON and raw APIs have no place for RFC 3461 requests.
  result.dsn_ignored = outgoing.message != nullptr && outgoing.message->dsn.requested();
  result.reply = response.http_version + " " + std::to_string(response.status);
  result.host = host;
  result.port = port;
  result.tls = response.tls_version;
  result.reused = response.reused;
  result.seconds = seconds_since(started);
  result.transcript = std::move(transcript);
  return result;
}

}  // namespace smtpx::delivery
