// SendGrid's v3 Mail Send API: POST /v3/mail/send, a JSON message, a Bearer
// API key; 202 with the id in X-Message-Id. https://api.sendgrid.com, or
// https://api.eu.sendgrid.com for accounts in the EU region.
#include "../error.h"
#include "../mime/encoders.h"
#include "calls.h"
#include "json.h"
#include "json_message.h"

namespace smtpx::api {

namespace {

std::string address(const Mailbox& mailbox) {
  json::Object object;
  object.string("email", mailbox.address).string_if_set("name", mailbox.display_name);
  return object.text();
}

std::string addresses(const std::vector<Mailbox>& mailboxes) {
  std::vector<std::string> values;
  for (const Mailbox& mailbox : mailboxes) values.push_back(address(mailbox));
  return json::array(values);
}

// Headers SendGrid sets itself and refuses in "headers" (v3 Mail Send reference).
bool reserved(std::string_view name) {
  for (std::string_view taken :
       {"x-sg-id", "x-sg-eid", "received", "dkim-signature", "content-type", "content-transfer-encoding",
        "to", "from", "subject", "reply-to", "cc", "bcc"}) {
    if (name.size() == taken.size() && mime::equals_ignoring_case(name, taken)) return true;
  }
  return false;
}

}  // namespace

http::Request sendgrid_request(const ApiSettings& settings, const Outgoing& outgoing) {
  const Message& message = json_message(outgoing, "SendGrid");
  if (message.subject.empty())
    throw InvalidInput("subject", "is required by SendGrid's API (at least one character), unlike SMTP");
  json::Object personalization;
  personalization.raw("to", addresses(message.to));
  if (!message.cc.empty()) personalization.raw("cc", addresses(message.cc));
  if (!message.bcc.empty()) personalization.raw("bcc", addresses(message.bcc));

  json::Object body;
  body.raw("personalizations", json::array({personalization.text()}));
  body.raw("from", address(message.from));
  if (message.reply_to.size() == 1) body.raw("reply_to", address(message.reply_to.front()));
  if (message.reply_to.size() > 1) body.raw("reply_to_list", addresses(message.reply_to));
  body.string("subject", message.subject);
  // The v3 API wants text/plain before text/html.
  std::vector<std::string> content;
  if (message.text)
    content.push_back(json::Object().string("type", "text/plain").string("value", *message.text).text());
  if (message.html)
    content.push_back(json::Object().string("type", "text/html").string("value", *message.html).text());
  if (!content.empty()) body.raw("content", json::array(content));

  std::vector<std::string> attachments;
  for (const EncodedAttachment& part : encoded_attachments(message)) {
    json::Object attachment;
    attachment.string("content", part.base64).string("type", part.type).string("filename", part.name);
    attachment.string("disposition", part.content_id.empty() ? "attachment" : "inline");
    attachment.string_if_set("content_id", part.content_id);
    attachments.push_back(attachment.text());
  }
  if (!attachments.empty()) body.raw("attachments", json::array(attachments));

  json::Object headers;
  for (const auto& [name, value] : message.headers) {
    if (reserved(name))
      throw InvalidInput("headers." + name, "SendGrid's API sets this header itself and refuses it");
    headers.string(name, value);
  }
  if (!headers.empty()) body.raw("headers", headers.text());

  http::Request request;
  request.url = base_url(settings, settings.region == "eu" ? "https://api.eu.sendgrid.com"
                                                           : "https://api.sendgrid.com") +
                "/v3/mail/send";
  request.headers = {"Authorization: Bearer " + settings.key, "Content-Type: application/json"};
  request.body = body.text();
  return request;
}

std::string sendgrid_message_id(const http::Response& response) {
  return response.header("x-message-id");
}

}  // namespace smtpx::api
