// AWS Signature Version 4 for one POST (the SES v2 API): the headers that
// sign the request with the access key, the secret and the time given.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
#pragma once

#include <ctime>
#include <string>
#include <vector>

namespace smtpx::api {

struct SigV4Key {
  std::string access_key;
  std::string secret;
  std::string region;   // "eu-west-1"
  std::string service;  // "ses"
};

// "Host", "X-Amz-Date" and "Authorization" headers for POSTing `body` as
// `content_type` to `host` (with ":port" when not 443) and `path`, at `now`.
std::vector<std::string> sigv4_headers(const SigV4Key& key, const std::string& host, const std::string& path,
                                       const std::string& content_type, const std::string& body,
                                       std::time_t now);

}  // namespace smtpx::api
