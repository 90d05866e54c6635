#include "sigv4.h"

#include "../digest.h"
#include "../text/hex.h"

namespace smtpx::api {

namespace {

std::string utc(std::time_t now, const char* format) {
  std::tm parts{};
  gmtime_r(&now, &parts);
  char text[32];
  std::strftime(text, sizeof text, format, &parts);
  return text;
}

}  // namespace

std::vector<std::string> sigv4_headers(const SigV4Key& key, const std::string& host, const std::string& path,
                                       const std::string& content_type, const std::string& body,
                                       std::time_t now) {
  const std::string amz_date = utc(now, "%Y%m%dT%H%M%SZ");
  const std::string date = amz_date.substr(0, 8);
  const std::string signed_headers = "content-type;host;x-amz-date";
  const std::string canonical_request = "POST\n" + path + "\n\n" + "content-type:" + content_type + "\n" +
                                        "host:" + host + "\n" + "x-amz-date:" + amz_date + "\n\n" +
                                        signed_headers + "\n" + text::to_hex(sha256(body));
  const std::string scope = date + "/" + key.region + "/" + key.service + "/aws4_request";
  const std::string string_to_sign =
      "AWS4-HMAC-SHA256\n" + amz_date + "\n" + scope + "\n" + text::to_hex(sha256(canonical_request));
  const std::string signing_key =
      hmac_sha256(hmac_sha256(hmac_sha256(hmac_sha256("AWS4" + key.secret, date), key.region), key.service),
                  "aws4_request");
  const std::string signature = text::to_hex(hmac_sha256(signing_key, string_to_sign));
  return {"Host: " + host, "X-Amz-Date: " + amz_date,
          "Authorization: AWS4-HMAC-SHA256 Credential=" + key.access_key + "/" + scope +
              ", SignedHeaders=" + signed_headers + ", Signature=" + signature};
}

}  // namespace smtpx::api
