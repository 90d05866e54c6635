// Brevo's transactional email API: POST /v3/smtp/email, a JSON message, the
// key in the api-key header; 201 with messageId.
#include "../error.h"
#include "calls.h"
#include "json.h"
#include "json_message.h"

namespace smtpx::api {

namespace {

std::string contact(const Mailbox& mailbox) {
  return json::Object().string("email", mailbox.address).string_if_set("name", mailbox.display_name).text();
}

std::string contacts(const std::vector<Mailbox>& mailboxes) {
  std::vector<std::string> values;
  for (const Mailbox& mailbox : mailboxes) values.push_back(contact(mailbox));
  return json::array(values);
}

}  // namespace

http::Request brevo_request(const ApiSettings& settings, const Outgoing& outgoing) {
  const Message& message = json_message(outgoing, "Brevo");
  json::Object body;
  body.raw("sender", contact(message.from));
  body.raw("to", contacts(message.to));
  if (!message.cc.empty()) body.raw("cc", contacts(message.cc));
  if (!message.bcc.empty()) body.raw("bcc", contacts(message.bcc));
  // Brevo takes one Reply-To.
  if (message.reply_to.size() > 1)
    throw InvalidInput("reply_to", "Brevo's API takes one Reply-To address; give one, or send over SMTP");
  if (!message.reply_to.empty()) body.raw("replyTo", contact(message.reply_to.front()));
  body.string("subject", message.subject);
  if (message.text) body.string("textContent", *message.text);
  if (message.html) body.string("htmlContent", *message.html);
  json::Object headers;
  for (const auto& [name, value] : message.headers) headers.string(name, value);
  if (!headers.empty()) body.raw("headers", headers.text());
  std::vector<std::string> attachments;
  const std::vector<EncodedAttachment> parts = encoded_attachments(message);
  for (size_t i = 0; i < parts.size(); ++i) {
    if (!parts[i].content_id.empty()) {
      throw InvalidInput("attachments[" + std::to_string(i) + "].inline",
                         "Brevo's API cannot carry inline parts referenced by cid:; attach it, or send over "
                         "SMTP");
    }
    attachments.push_back(
        json::Object().string("content", parts[i].base64).string("name", parts[i].name).text());
  }
  if (!attachments.empty()) body.raw("attachment", json::array(attachments));

  http::Request request;
  request.url = base_url(settings, "https://api.brevo.com") + "/v3/smtp/email";
  request.headers = {"api-key: " + settings.key, "Content-Type: application/json",
                     "Accept: application/json"};
  request.body = body.text();
  return request;
}

std::string brevo_message_id(const http::Response& response) {
  return body_string(response, "messageId");
}

}  // namespace smtpx::api
