// SendResult and the pieces of other results as PHP arrays (results.h).
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <cstring>

#include "../../php_smtpx.h"
#include "results.h"

namespace smtpx::php {

namespace {

// SendResult's attempts: a list of [port, tls, ip, fate, detail, seconds].
void attempts_to_array(const std::vector<delivery::PortAttempt>& attempts, zval* out) {
  array_init_size(out, static_cast<uint32_t>(attempts.size()));
  for (const delivery::PortAttempt& attempt : attempts) {
    zval entry;
    port_choice_to_array(attempt.choice, &entry);
    add_string(&entry, "ip", attempt.ip);
    add_assoc_string(&entry, "fate", delivery::fate_name(attempt.fate));
    add_string(&entry, "detail", attempt.detail);
    add_assoc_double(&entry, "seconds", attempt.seconds);
    add_next_index_zval(out, &entry);
  }
}

}  // namespace

void add_string(zval* array, const char* key, std::string_view text) {
  add_assoc_stringl_ex(array, key, strlen(key), text.data(), text.size());
}

void add_optional_string(zval* array, const char* key, std::string_view text) {
  if (text.empty())
    add_assoc_null(array, key);
  else
    add_string(array, key, text);
}

void port_choice_to_array(const delivery::PortChoice& choice, zval* out) {
  array_init_size(out, 2);
  add_assoc_long(out, "port", choice.port);
  add_assoc_string(out, "tls", delivery::tls_mode_name(choice.tls));
}

void rejected_to_array(const std::vector<std::pair<std::string, std::string>>& rejected, zval* out) {
  array_init_size(out, static_cast<uint32_t>(rejected.size()));
  for (const auto& [address, reply] : rejected)
    add_assoc_stringl_ex(out, address.data(), address.size(), reply.data(), reply.size());
}

void result_to_array(const delivery::SendResult& result, zval* out) {
  array_init_size(out, 10);
  add_optional_string(out, "message_id", result.message_id);

  zval accepted;
  array_init_size(&accepted, static_cast<uint32_t>(result.accepted.size()));
  for (const std::string& address : result.accepted)
    add_next_index_stringl(&accepted, address.data(), address.size());
  add_assoc_zval(out, "accepted", &accepted);

  zval rejected;
  rejected_to_array(result.rejected, &rejected);
  add_assoc_zval(out, "rejected", &rejected);

  add_string(out, "reply", result.reply);
  add_string(out, "host", result.host);
  add_assoc_long(out, "port", result.port);
  add_optional_string(out, "tls", result.tls);
  add_assoc_bool(out, "reused", result.reused);
  add_assoc_double(out, "seconds", result.seconds);
  add_string(out, "transport", result.transport);
  if (result.http_status != 0) {
    add_assoc_long(out, "http_status", result.http_status);
    add_string(out, "provider_message_id", result.provider_message_id);
  }
  if (!result.rotated_refresh_token.empty())
    add_string(out, "oauth_refresh_token", result.rotated_refresh_token);
  if (result.dsn_ignored) add_assoc_bool(out, "dsn_ignored", true);
  if (!result.fallback_from.empty()) add_string(out, "fallback_from", result.fallback_from);
  zval attempts;
  attempts_to_array(result.attempts, &attempts);
  add_assoc_zval(out, "attempts", &attempts);
  // The core records a transcript only when the transport has debug on.
  if (!result.transcript.empty()) add_string(out, "transcript", result.transcript);
}

}  // namespace smtpx::php
