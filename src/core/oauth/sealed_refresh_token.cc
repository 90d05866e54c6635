#include "sealed_refresh_token.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <memory>
#include <stdexcept>

#include "../digest.h"
#include "../text/hex.h"

namespace smtpx::oauth {

namespace {

constexpr int kNonceBytes = 12;
constexpr int kTagBytes = 16;

using CipherContext = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

std::string key_for(const std::string& predecessor, const std::string& context) {
  return hkdf_sha256(predecessor, "smtpx oauth rotated refresh token", context);
}

const unsigned char* bytes(const std::string& text) {
  return reinterpret_cast<const unsigned char*>(text.data());
}

}  // namespace

// Hex of nonce | ciphertext | tag.
std::string seal_refresh_token(const std::string& successor, const std::string& predecessor,
                               const std::string& context, const std::string& binding) {
  const std::string key = key_for(predecessor, context);
  std::string nonce(kNonceBytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(nonce.data()), kNonceBytes) != 1)
    throw std::runtime_error("no random bytes to seal a refresh token");
  CipherContext cipher(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  std::string sealed(successor.size() + kTagBytes, '\0');
  auto* out = reinterpret_cast<unsigned char*>(sealed.data());
  int written = 0, unused = 0;
  if (!cipher ||
      EVP_EncryptInit_ex(cipher.get(), EVP_aes_256_gcm(), nullptr, bytes(key), bytes(nonce)) != 1 ||
      EVP_EncryptUpdate(cipher.get(), nullptr, &unused, bytes(binding), static_cast<int>(binding.size())) !=
          1 ||
      EVP_EncryptUpdate(cipher.get(), out, &written, bytes(successor), static_cast<int>(successor.size())) !=
          1 ||
      EVP_EncryptFinal_ex(cipher.get(), out + written, &unused) != 1 ||
      EVP_CIPHER_CTX_ctrl(cipher.get(), EVP_CTRL_GCM_GET_TAG, kTagBytes, out + successor.size()) != 1)
    throw std::runtime_error("AES-256-GCM failed to seal a refresh token");
  return text::to_hex(nonce + sealed);
}

std::optional<std::string> open_refresh_token(const std::string& sealed, const std::string& predecessor,
                                              const std::string& context, const std::string& binding) {
  const std::optional<std::string> raw = text::from_hex(sealed);
  if (!raw || raw->size() < kNonceBytes + kTagBytes) return std::nullopt;
  const std::string key = key_for(predecessor, context);
  const std::string nonce = raw->substr(0, kNonceBytes);
  const std::string ciphertext = raw->substr(kNonceBytes, raw->size() - kNonceBytes - kTagBytes);
  std::string tag = raw->substr(raw->size() - kTagBytes);
  CipherContext cipher(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  std::string successor(ciphertext.size(), '\0');
  auto* out = reinterpret_cast<unsigned char*>(successor.data());
  int written = 0, unused = 0;
  if (!cipher ||
      EVP_DecryptInit_ex(cipher.get(), EVP_aes_256_gcm(), nullptr, bytes(key), bytes(nonce)) != 1 ||
      EVP_DecryptUpdate(cipher.get(), nullptr, &unused, bytes(binding), static_cast<int>(binding.size())) !=
          1 ||
      EVP_DecryptUpdate(cipher.get(), out, &written, bytes(ciphertext),
                        static_cast<int>(ciphertext.size())) != 1 ||
      EVP_CIPHER_CTX_ctrl(cipher.get(), EVP_CTRL_GCM_SET_TAG, kTagBytes, tag.data()) != 1 ||
      EVP_DecryptFinal_ex(cipher.get(), out + written, &unused) != 1)
    return std::nullopt;
  return successor;
}

}  // namespace smtpx::oauth
