// Postmark's Email API: POST /email, a JSON message, the server token in
// X-Postmark-Server-Token; 200 with MessageID. Recipients are strings of
// "Name <address>" joined by commas, at most 50 in all.
#include "../mime/encoders.h"
#include "calls.h"
#include "json.h"
#include "json_message.h"

namespace smtpx::api {

namespace {

std::string mailbox_text(const Mailbox& mailbox) {
  if (mailbox.display_name.empty()) return mailbox.address;
  return mime::quoted_string(mailbox.display_name) + " <" + mailbox.address + ">";
}

std::string mailbox_list(const std::vector<Mailbox>& mailboxes) {
  std::string text;
  for (const Mailbox& mailbox : mailboxes) text += (text.empty() ? "" : ", ") + mailbox_text(mailbox);
  return text;
}

}  // namespace

http::Request postmark_request(const ApiSettings& settings, const Outgoing& outgoing) {
  const Message& message = json_message(outgoing, "Postmark");
  json::Object body;
  body.string("From", mailbox_text(message.from));
  body.string("To", mailbox_list(message.to));
  body.string_if_set("Cc", mailbox_list(message.cc));
  body.string_if_set("Bcc", mailbox_list(message.bcc));
  body.string_if_set("ReplyTo", mailbox_list(message.reply_to));
  body.string("Subject", message.subject);
  if (message.text) body.string("TextBody", *message.text);
  if (message.html) body.string("HtmlBody", *message.html);
  std::vector<std::string> headers;
  for (const auto& [name, value] : message.headers)
    headers.push_back(json::Object().string("Name", name).string("Value", value).text());
  if (!headers.empty()) body.raw("Headers", json::array(headers));
  std::vector<std::string> attachments;
  for (const EncodedAttachment& part : encoded_attachments(message)) {
    json::Object attachment;
    attachment.string("Name", part.name).string("Content", part.base64).string("ContentType", part.type);
    // Postmark matches cid: references against "cid:" + ContentID.
    if (!part.content_id.empty()) attachment.string("ContentID", "cid:" + part.content_id);
    attachments.push_back(attachment.text());
  }
  if (!attachments.empty()) body.raw("Attachments", json::array(attachments));
  body.string_if_set("MessageStream", settings.message_stream);

  http::Request request;
  request.url = base_url(settings, "https://api.postmarkapp.com") + "/email";
  request.headers = {"X-Postmark-Server-Token: " + settings.key, "Content-Type: application/json",
                     "Accept: application/json"};
  request.body = body.text();
  return request;
}

std::string postmark_message_id(const http::Response& response) {
  return body_string(response, "MessageID");
}

}  // namespace smtpx::api
