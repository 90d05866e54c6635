// SHA-256, HMAC-SHA-256 and HKDF-SHA-256 with OpenSSL, as raw digests: the one
// place the pool's key, SigV4, DKIM and the OAuth token cache take them from.
#pragma once

#include <string>
#include <string_view>

namespace smtpx {

// Throw std::runtime_error if OpenSSL fails (it does not, short of no memory).
std::string sha256(std::string_view data);
std::string hmac_sha256(std::string_view key, std::string_view data);
// RFC 5869 with SHA-256: a 32-byte key derived from `secret` for `purpose`.
std::string hkdf_sha256(std::string_view secret, std::string_view salt, std::string_view purpose);

}  // namespace smtpx
