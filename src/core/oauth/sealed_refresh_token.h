// A rotated refresh token as the shared token cache keeps it: sealed with
// AES-256-GCM under a key derived (HKDF-SHA-256) from the refresh token it
// replaced, so only a worker configured with an earlier token of the same
// grant can read it, and a file of the cache never holds a token in clear.
#pragma once

#include <optional>
#include <string>

namespace smtpx::oauth {

// `context` (the token URL and client) and `binding` (the file it is written
// to) are authenticated with it: the sealed text opens nowhere else.
std::string seal_refresh_token(const std::string& successor, const std::string& predecessor,
                               const std::string& context, const std::string& binding);

// The successor, or nothing when `sealed` was not made by seal_refresh_token()
// from these same arguments (a damaged file, another grant's).
std::optional<std::string> open_refresh_token(const std::string& sealed, const std::string& predecessor,
                                              const std::string& context, const std::string& binding);

}  // namespace smtpx::oauth
