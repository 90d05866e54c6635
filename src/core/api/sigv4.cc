#include "sigv4.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <stdexcept>

namespace smtpx::api {

namespace {

std::string hex(const std::string& bytes) {
  static const char digits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char byte : bytes) {
    out += digits[byte >> 4];
    out += digits[byte & 15];
  }
  return out;
}

std::string sha256(const std::string& data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha256(), nullptr) != 1)
    throw std::runtime_error("SHA-256 failed");
  return std::string(reinterpret_cast<char*>(digest), length);
}

std::string hmac_sha256(const std::string& key, const std::string& data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest, &length) == nullptr)
    throw std::runtime_error("HMAC-SHA-256 failed");
  return std::string(reinterpret_cast<char*>(digest), length);
}

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
                                        signed_headers + "\n" + hex(sha256(body));
  const std::string scope = date + "/" + key.region + "/" + key.service + "/aws4_request";
  const std::string string_to_sign =
      "AWS4-HMAC-SHA256\n" + amz_date + "\n" + scope + "\n" + hex(sha256(canonical_request));
  const std::string signing_key =
      hmac_sha256(hmac_sha256(hmac_sha256(hmac_sha256("AWS4" + key.secret, date), key.region), key.service),
                  "aws4_request");
  const std::string signature = hex(hmac_sha256(signing_key, string_to_sign));
  return {"Host: " + host, "X-Amz-Date: " + amz_date,
          "Authorization: AWS4-HMAC-SHA256 Credential=" + key.access_key + "/" + scope +
              ", SignedHeaders=" + signed_headers + ", Signature=" + signature};
}

}  // namespace smtpx::api
