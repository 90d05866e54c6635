// SMTP AUTH (RFC 4954) with the mechanisms submission servers offer: XOAUTH2
// or OAUTHBEARER (RFC 7628) when the caller has an OAuth2 access token
// (Google, Microsoft 365), and never a password mechanism then; else
// PLAIN with an initial response (one round trip), else LOGIN.
#pragma once

#include <string>

#include "../capabilities.h"
#include "session.h"

namespace smtpx::smtp {

// The mechanism to use, or empty when the server offers none the credentials fit.
std::string choose_mechanism(const Capabilities& capabilities, const Credentials& credentials);

// Runs the exchange; throws SmtpError (kind auth) with the server's reply and a
// hint of what to do. Secrets are recorded in the transcript only as "<redacted>".
void authenticate(Session& session, const Credentials& credentials, net::Deadline deadline);

// The initial responses, exposed for tests: base64 of "\0user\0pass" and of
// "user=U\1auth=Bearer T\1\1".
std::string plain_initial_response(const Credentials& credentials);
std::string xoauth2_initial_response(const Credentials& credentials);
std::string oauthbearer_initial_response(const Credentials& credentials, const std::string& host,
                                         uint16_t port);

}  // namespace smtpx::smtp
