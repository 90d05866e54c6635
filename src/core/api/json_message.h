// What the JSON APIs (SendGrid, Postmark, Brevo) share when they map a
// Message: its attachments read and base64-encoded, and the refusals for what
// no JSON API carries.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "provider.h"

namespace smtpx::api {

struct EncodedAttachment {
  std::string name;
  std::string type;
  std::string content_id;  // empty for an ordinary attachment
  std::string base64;
};

// The message of `outgoing`; throws InvalidInput when there is none (a raw
// send) or when it holds what `api` (its display name) cannot carry as JSON.
const Message& json_message(const Outgoing& outgoing, std::string_view api);

std::vector<EncodedAttachment> encoded_attachments(const Message& message);

}  // namespace smtpx::api
