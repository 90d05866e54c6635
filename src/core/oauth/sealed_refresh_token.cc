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

// AES-256-GCM over `input` with `aad` authenticated, one way or the other:
// encrypting writes the tag to `tag`, decrypting checks `tag`. False when
// OpenSSL fails or the tag does not match.
bool aes_256_gcm(bool encrypt, const std::string& key, const std::string& nonce, const std::string& aad,
                 const std::string& input, std::string& output, std::string& tag) {
  CipherContext cipher(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  output.assign(input.size(), '\0');
  auto* out = reinterpret_cast<unsigned char*>(output.data());
  int written = 0, unused = 0;
  if (encrypt) tag.assign(kTagBytes, '\0');
  return cipher &&
         EVP_CipherInit_ex(cipher.get(), EVP_aes_256_gcm(), nullptr, bytes(key), bytes(nonce), encrypt) ==
             1 &&
         EVP_CipherUpdate(cipher.get(), nullptr, &unused, bytes(aad), static_cast<int>(aad.size())) == 1 &&
         EVP_CipherUpdate(cipher.get(), out, &written, bytes(input), static_cast<int>(input.size())) == 1 &&
         (encrypt || EVP_CIPHER_CTX_ctrl(cipher.get(), EVP_CTRL_GCM_SET_TAG, kTagBytes, tag.data()) == 1) &&
         EVP_CipherFinal_ex(cipher.get(), out + written, &unused) == 1 &&
         (!encrypt || EVP_CIPHER_CTX_ctrl(cipher.get(), EVP_CTRL_GCM_GET_TAG, kTagBytes, tag.data()) == 1);
}

}  // namespace

// Hex of nonce | ciphertext | tag.
std::string seal_refresh_token(const std::string& successor, const std::string& predecessor,
                               const std::string& context, const std::string& binding) {
  std::string nonce(kNonceBytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(nonce.data()), kNonceBytes) != 1)
    throw std::runtime_error("no random bytes to seal a refresh token");
  std::string ciphertext, tag;
  if (!aes_256_gcm(true, key_for(predecessor, context), nonce, binding, successor, ciphertext, tag))
    throw std::runtime_error("AES-256-GCM failed to seal a refresh token");
  return text::to_hex(nonce + ciphertext + tag);
}

std::optional<std::string> open_refresh_token(const std::string& sealed, const std::string& predecessor,
                                              const std::string& context, const std::string& binding) {
  const std::optional<std::string> raw = text::from_hex(sealed);
  if (!raw || raw->size() < kNonceBytes + kTagBytes) return std::nullopt;
  const std::string nonce = raw->substr(0, kNonceBytes);
  const std::string ciphertext = raw->substr(kNonceBytes, raw->size() - kNonceBytes - kTagBytes);
  std::string tag = raw->substr(raw->size() - kTagBytes);
  std::string successor;
  if (!aes_256_gcm(false, key_for(predecessor, context), nonce, binding, ciphertext, successor, tag))
    return std::nullopt;
  return successor;
}

}  // namespace smtpx::oauth
