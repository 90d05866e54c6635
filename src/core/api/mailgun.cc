// Mailgun's messages.mime API: POST /v3/{domain}/messages.mime, a
// multipart/form-data body with one "to" per recipient and the MIME bytes as
// the "message" file, HTTP Basic "api:KEY"; 200 with the id. The EU region
// is https://api.eu.mailgun.net.
#include <random>

#include "../error.h"
#include "../mime/encoders.h"
#include "calls.h"

namespace smtpx::api {

namespace {

// RFC 7578 4.1: a boundary that cannot occur in the parts. The MIME bytes
// could hold any fixed string, so it carries random hex.
std::string random_boundary() {
  std::random_device device;
  static const char hex[] = "0123456789abcdef";
  std::string boundary = "smtpx-form-";
  for (int i = 0; i < 32; ++i) boundary += hex[device() & 15];
  return boundary;
}

std::string form_field(const std::string& boundary, std::string_view name, std::string_view value) {
  return "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + std::string(name) + "\"\r\n\r\n" +
         std::string(value) + "\r\n";
}

}  // namespace

http::Request mailgun_request(const ApiSettings& settings, const Outgoing& outgoing) {
  std::string boundary = random_boundary();
  while (outgoing.mime.find(boundary) != std::string_view::npos) boundary = random_boundary();
  std::string body;
  body.reserve(outgoing.mime.size() + 512);
  for (const std::string& recipient : outgoing.recipients) body += form_field(boundary, "to", recipient);
  body += "--" + boundary +
          "\r\nContent-Disposition: form-data; name=\"message\"; filename=\"message.mime\"\r\n"
          "Content-Type: message/rfc822\r\n\r\n";
  body.append(outgoing.mime.data(), outgoing.mime.size());
  body += "\r\n--" + boundary + "--\r\n";

  http::Request request;
  request.url =
      base_url(settings, settings.region == "eu" ? "https://api.eu.mailgun.net" : "https://api.mailgun.net") +
      "/v3/" + settings.domain + "/messages.mime";
  request.headers = {"Authorization: Basic " + mime::base64("api:" + settings.key),
                     "Content-Type: multipart/form-data; boundary=" + boundary};
  request.body = std::move(body);
  return request;
}

std::string mailgun_message_id(const http::Response& response) {
  std::string id = body_string(response, "id");
  // Mailgun answers with the Message-ID in angle brackets.
  if (id.size() >= 2 && id.front() == '<' && id.back() == '>') id = id.substr(1, id.size() - 2);
  return id;
}

}  // namespace smtpx::api
