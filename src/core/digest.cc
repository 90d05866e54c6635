#include "digest.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <stdexcept>

namespace smtpx {

std::string sha256(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha256(), nullptr) != 1)
    throw std::runtime_error("SHA-256 failed");
  return std::string(reinterpret_cast<char*>(digest), length);
}

std::string hmac_sha256(std::string_view key, std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest, &length) == nullptr)
    throw std::runtime_error("HMAC-SHA-256 failed");
  return std::string(reinterpret_cast<char*>(digest), length);
}

// One block of the expansion is all a 32-byte key needs: T(1) = HMAC(PRK, info | 0x01).
std::string hkdf_sha256(std::string_view secret, std::string_view salt, std::string_view purpose) {
  const std::string pseudorandom_key = hmac_sha256(salt, secret);
  std::string info(purpose);
  info.push_back('\x01');
  return hmac_sha256(pseudorandom_key, info);
}

}  // namespace smtpx
