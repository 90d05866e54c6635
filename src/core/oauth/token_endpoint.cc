#include "token_endpoint.h"

#include <algorithm>

#include "../api/json.h"
#include "../error.h"
#include "../http/https_client.h"
#include "../smtp/failure.h"
#include "../text/ascii.h"
#include "../text/escape.h"
#include "../text/hex.h"

namespace smtpx::oauth {

namespace {

// application/x-www-form-urlencoded (RFC 6749 appendix B): unreserved bytes as
// they are, every other byte %XX.
std::string form_encode(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (text::is_letter_or_digit(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out.push_back(c);
    } else {
      out.push_back('%');
      text::append_hex(out, static_cast<unsigned char>(c), text::HexCase::upper);
    }
  }
  return out;
}

[[noreturn]] void fail(SmtpFailure failure, const std::string& url) {
  failure.phase = Phase::auth;
  failure.host = http::authority_of(url);
  throw SmtpError(std::move(failure));
}

}  // namespace

std::time_t AccessToken::refresh_at() const {
  const std::time_t lifetime = expires_at - obtained_at;
  return std::max(obtained_at + lifetime / 2, std::min(obtained_at + lifetime * 8 / 10, expires_at - 300));
}

std::time_t AccessToken::usable_until() const {
  const std::time_t lifetime = expires_at - obtained_at;
  return expires_at - std::min<std::time_t>(30, lifetime / 10);
}

std::string token_url_for(const OAuthSettings& settings) {
  if (!settings.token_url.empty()) return settings.token_url;
  if (settings.provider == "google") return "https://oauth2.googleapis.com/token";
  return "https://login.microsoftonline.com/" + (settings.tenant.empty() ? "common" : settings.tenant) +
         "/oauth2/v2.0/token";
}

std::string scope_for(const OAuthSettings& settings) {
  if (!settings.scope.empty()) return settings.scope;
  if (settings.provider == "microsoft") return "https://outlook.office.com/SMTP.Send offline_access";
  return {};
}

void validate(const OAuthSettings& settings) {
  if (settings.provider != "google" && settings.provider != "microsoft" && settings.provider != "generic")
    throw InvalidInput("transport.oauth.provider", "must be google, microsoft or generic");
  if (settings.client_id.empty()) throw InvalidInput("transport.oauth.client_id", "is required");
  if (settings.refresh_token.empty())
    throw InvalidInput("transport.oauth.refresh_token",
                       "is required: connect the account once (the WordPress plugin's \"Connect\" does it)");
  if (settings.provider == "generic" && settings.token_url.empty())
    throw InvalidInput("transport.oauth.token_url", "is required for a generic provider");
  if (!settings.token_url.empty() && settings.token_url.compare(0, 8, "https://") != 0)
    throw InvalidInput("transport.oauth.token_url",
                       "must be an https:// URL: the client secret never travels in clear text");
  for (const std::string* value : {&settings.client_id, &settings.client_secret, &settings.refresh_token,
                                   &settings.tenant, &settings.token_url, &settings.scope}) {
    if (text::has_control(*value)) throw InvalidInput("transport.oauth", "holds a control character");
  }
  if (settings.tenant.find_first_of("/?#") != std::string::npos)
    throw InvalidInput("transport.oauth.tenant", "must be a tenant id or domain");
}

TokenAnswer request_access_token(const OAuthSettings& settings, const std::string& cafile, bool verify,
                                 net::Deadline deadline) {
  http::Request request;
  request.url = token_url_for(settings);
  request.cafile = cafile;
  request.verify = verify;
  request.headers = {"Content-Type: application/x-www-form-urlencoded", "Accept: application/json"};
  request.body = "grant_type=refresh_token&refresh_token=" + form_encode(settings.refresh_token) +
                 "&client_id=" + form_encode(settings.client_id);
  if (!settings.client_secret.empty())
    request.body += "&client_secret=" + form_encode(settings.client_secret);
  if (const std::string scope = scope_for(settings); !scope.empty())
    request.body += "&scope=" + form_encode(scope);

  const std::time_t asked_at = std::time(nullptr);
  http::Response response;
  try {
    response = http::post(request, deadline);
  } catch (const http::TransferError& error) {
    // Asking again is harmless here: a token request delivers no mail.
    SmtpFailure failure = smtp::failure_from_network(error, Phase::auth);
    failure.message = "cannot get an OAuth2 access token: " + failure.message;
    fail(std::move(failure), request.url);
  }
  const std::optional<api::json::Value> body = api::json::parse(response.body);
  if (response.status != 200 || !body || body->string_at("access_token").empty()) {
    const std::string error = body ? body->string_at("error") : std::string();
    const std::string description = body ? body->string_at("error_description") : std::string();
    SmtpFailure failure;
    failure.kind = ErrorKind::auth;
    failure.http_status = response.status;
    failure.transient = response.status >= 500 || response.status == 429;
    failure.message = "the token endpoint refused the refresh token (HTTP " +
                      std::to_string(response.status) + (error.empty() ? "" : ", " + text::printable(error)) +
                      (description.empty() ? "" : ": " + text::printable(description.substr(0, 300))) + ")";
    if (error == "invalid_grant")
      failure.hint = "The authorization was revoked or has expired: connect the account again.";
    else if (error == "invalid_client" || response.status == 401)
      failure.hint = "Check the client id and client secret of the app registration.";
    else if (failure.transient)
      failure.hint = "The token endpoint is failing: try again later.";
    if (!failure.hint.empty()) failure.message += ". " + failure.hint;
    fail(std::move(failure), request.url);
  }
  TokenAnswer answer;
  answer.token.value = body->string_at("access_token");
  answer.token.obtained_at = asked_at;
  const api::json::Value* expires_in = body->find("expires_in");
  // RFC 6749 5.1 recommends expires_in; without it, an hour, as both providers give.
  double lifetime = 3600;
  if (expires_in && expires_in->type == api::json::Value::Type::number) lifetime = expires_in->number;
  if (expires_in && expires_in->type == api::json::Value::Type::string)
    lifetime = std::atof(expires_in->string.c_str());
  answer.token.expires_at = asked_at + static_cast<std::time_t>(std::max(1.0, std::min(lifetime, 86400.0)));
  const std::string rotated = body->string_at("refresh_token");
  if (rotated != settings.refresh_token) answer.refresh_token = rotated;
  return answer;
}

}  // namespace smtpx::oauth
