#include "json_message.h"

#include "../error.h"
#include "../mime/attachment_file.h"
#include "../mime/encoders.h"
#include "../mime/mime_types.h"

namespace smtpx::api {

const Message& json_message(const Outgoing& outgoing, std::string_view api) {
  if (outgoing.message == nullptr) {
    throw InvalidInput("mime",
                       std::string(api) +
                           "'s API takes the message's fields, not MIME: send it with smtpx_send(), or "
                           "use SMTP or a raw-MIME API (mailgun+api, ses+api) for smtpx_send_raw()");
  }
  const Message& message = *outgoing.message;
  if (message.sender) {
    throw InvalidInput("sender", std::string(api) +
                                     "'s API sets the envelope sender itself: remove sender/return_path, or "
                                     "send over SMTP");
  }
  if (!mime::is_utf8_charset(message.charset))
    throw InvalidInput("charset", "JSON carries UTF-8 only: give the text in UTF-8");
  return message;
}

std::vector<EncodedAttachment> encoded_attachments(const Message& message) {
  std::vector<EncodedAttachment> encoded;
  for (size_t i = 0; i < message.attachments.size(); ++i) {
    const Attachment& attachment = message.attachments[i];
    const std::string field = "attachments[" + std::to_string(i) + "]";
    EncodedAttachment part;
    // The APIs want a file name for every part: the path's, as the MIME writer does, or a neutral one.
    part.name = attachment.name;
    if (part.name.empty()) part.name = attachment.path.substr(attachment.path.find_last_of('/') + 1);
    if (part.name.empty()) part.name = "attachment";
    part.type = attachment.type.empty() ? std::string(mime::guess_type(part.name)) : attachment.type;
    part.content_id = attachment.content_id;
    part.base64 = mime::base64(mime::attachment_bytes(attachment.path, attachment.data, field + ".path"));
    encoded.push_back(std::move(part));
  }
  return encoded;
}

}  // namespace smtpx::api
