// Each provider's request builder and answer reader, one file per provider;
// provider.cc puts them in its table.
#pragma once

#include "provider.h"

namespace smtpx::api {

http::Request sendgrid_request(const ApiSettings& settings, const Outgoing& outgoing);
std::string sendgrid_message_id(const http::Response& response);

http::Request postmark_request(const ApiSettings& settings, const Outgoing& outgoing);
std::string postmark_message_id(const http::Response& response);

http::Request brevo_request(const ApiSettings& settings, const Outgoing& outgoing);
std::string brevo_message_id(const http::Response& response);

http::Request mailgun_request(const ApiSettings& settings, const Outgoing& outgoing);
std::string mailgun_message_id(const http::Response& response);

http::Request ses_request(const ApiSettings& settings, const Outgoing& outgoing);
std::string ses_message_id(const http::Response& response);

// `settings.endpoint` without a trailing slash, or `standard`.
std::string base_url(const ApiSettings& settings, std::string_view standard);

// The JSON string member `key` of the answer's body, or empty.
std::string body_string(const http::Response& response, std::string_view key);

}  // namespace smtpx::api
