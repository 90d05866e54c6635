// Amazon SES API v2: POST /v2/email/outbound-emails with the MIME bytes as
// Content.Raw.Data (base64) and every envelope recipient as the destination
// (so Bcc recipients get theirs), signed with Signature Version 4; 200 with
// MessageId. https://email.{region}.amazonaws.com.
#include <ctime>

#include "../mime/encoders.h"
#include "calls.h"
#include "json.h"
#include "sigv4.h"

namespace smtpx::api {

namespace {

constexpr const char* kPath = "/v2/email/outbound-emails";

}  // namespace

http::Request ses_request(const ApiSettings& settings, const Outgoing& outgoing) {
  std::vector<std::string> recipients;
  for (const std::string& recipient : outgoing.recipients) recipients.push_back(json::quote(recipient));
  json::Object body;
  body.raw(
      "Content",
      json::Object().raw("Raw", json::Object().string("Data", mime::base64(outgoing.mime)).text()).text());
  body.raw("Destination", json::Object().raw("ToAddresses", json::array(recipients)).text());

  http::Request request;
  const std::string base = base_url_of(settings);
  request.url = base + kPath;
  request.body = body.text();
  const std::string content_type = "application/json";
  request.headers =
      sigv4_headers({settings.key, settings.secret, settings.region, "ses"}, http::authority_of(base), kPath,
                    content_type, request.body, std::time(nullptr));
  request.headers.push_back("Content-Type: " + content_type);
  return request;
}

std::string ses_message_id(const http::Response& response) {
  return body_string(response, "MessageId");
}

}  // namespace smtpx::api
