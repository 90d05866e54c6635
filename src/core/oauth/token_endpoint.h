// OAuth 2.0 access tokens for SMTP AUTH (XOAUTH2, OAUTHBEARER), from a refresh
// token at the provider's token endpoint (RFC 6749 6): Google, Microsoft
// identity platform v2, or any endpoint given. Over HTTPS with libcurl, TLS
// verified, the client secret and the tokens never in an error.
#pragma once

#include <ctime>
#include <string>

#include "../net/deadline.h"

namespace smtpx::oauth {

struct OAuthSettings {
  std::string provider;  // "google", "microsoft" or "generic"; empty: no OAuth
  std::string client_id;
  std::string client_secret;
  std::string refresh_token;
  std::string tenant;     // Microsoft: the directory (tenant) id or name; "common" when empty
  std::string token_url;  // generic, or instead of the provider's
  std::string scope;      // instead of the provider's
  bool empty() const { return provider.empty(); }
};

struct AccessToken {
  std::string value;
  std::time_t obtained_at = 0;
  std::time_t expires_at = 0;
  // RFC 6749 6 asks for an early refresh; here at 80% of the lifetime or five
  // minutes before the end, whichever comes first, but never before half of it:
  // for a token shorter than ten minutes (Keycloak gives five) "five minutes
  // before the end" lies before it was issued, and every send would refresh.
  std::time_t refresh_at() const;
  // The last moment it is handed out: 30 s before the end (the AUTH that uses it
  // must still find it valid), or a tenth of the lifetime for a token shorter
  // than five minutes, which would otherwise spend its last 30 s unused.
  std::time_t usable_until() const;
};

struct TokenAnswer {
  AccessToken token;
  std::string refresh_token;  // a new refresh token when the provider rotated it (Microsoft), else empty
};

// The URL and scope for `settings`' provider.
std::string token_url_for(const OAuthSettings& settings);
std::string scope_for(const OAuthSettings& settings);

// Throws InvalidInput naming the field ("transport.oauth.client_id").
void validate(const OAuthSettings& settings);

// Asks the token endpoint for an access token. Throws SmtpError of kind auth:
// permanent for invalid_grant (revoked, expired, consent withdrawn: the
// account must be connected again) and invalid_client, transient when the
// endpoint is down, slow or answers 5xx.
TokenAnswer request_access_token(const OAuthSettings& settings, const std::string& cafile, bool verify,
                                 net::Deadline deadline);

}  // namespace smtpx::oauth
