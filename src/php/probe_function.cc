// smtpx_probe(): what each port of a host answers (connect, TLS, EHLO, AUTH), as
// an array a settings page can show.
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string>
#include <vector>

#include "../../php_smtpx.h"
#include "../core/delivery/probe.h"
#include "call.h"
#include "convert.h"
#include "results.h"

namespace {

using smtpx::php::add_optional_string;
using smtpx::php::add_string;

void add_list(zval* array, const char* key, const std::vector<std::string>& items) {
  zval list;
  array_init_size(&list, static_cast<uint32_t>(items.size()));
  for (const std::string& item : items) add_next_index_stringl(&list, item.data(), item.size());
  add_assoc_zval(array, key, &list);
}

void tls_info_to_array(const smtpx::net::TlsInfo& info, zval* out) {
  array_init_size(out, 7);
  add_string(out, "version", info.version);
  add_string(out, "cipher", info.cipher);
  add_string(out, "subject", info.subject);
  add_string(out, "issuer", info.issuer);
  add_string(out, "expires", info.not_after);
  add_assoc_bool(out, "verified", info.verified);
  add_optional_string(out, "verify_error", info.verify_error);
}

void port_probe_to_array(const smtpx::delivery::PortProbe& probe, zval* out) {
  smtpx::php::port_choice_to_array(probe.choice, out);
  add_assoc_bool(out, "connected", probe.connected);
  add_assoc_double(out, "connect_seconds", probe.connect_seconds);
  add_optional_string(out, "ip", probe.ip);
  add_optional_string(out, "greeting", probe.greeting);
  if (probe.tls) {
    zval tls;
    tls_info_to_array(*probe.tls, &tls);
    add_assoc_zval(out, "tls_info", &tls);
  } else {
    add_assoc_null(out, "tls_info");
  }
  add_list(out, "extensions", probe.extensions);
  add_list(out, "auth", probe.auth);
  if (probe.auth_succeeded)
    add_assoc_bool(out, "auth_succeeded", *probe.auth_succeeded);
  else
    add_assoc_null(out, "auth_succeeded");
  add_assoc_bool(out, "usable", probe.usable);
  add_optional_string(out, "failed_phase", probe.failed_phase);
  add_optional_string(out, "error", probe.error);
  if (const auto& other = probe.other_tls_mode)  // "465/tls", made by Zend: no std::string alive here
    add_assoc_str(out, "other_tls_mode",
                  zend_strpprintf(0, "%d/%s", other->port, smtpx::delivery::port_tls_word(other->tls)));
}

void api_probe_to_array(const smtpx::delivery::ApiProbe& api, zval* out) {
  array_init_size(out, 6);
  add_string(out, "transport", api.transport);
  add_string(out, "url", api.url);
  add_assoc_bool(out, "reachable", api.reachable);
  add_assoc_double(out, "seconds", api.seconds);
  add_optional_string(out, "tls", api.tls);
  add_optional_string(out, "error", api.error);
}

void report_to_array(const smtpx::delivery::ProbeReport& report, zval* out) {
  array_init_size(out, 3);
  add_string(out, "host", report.host);
  if (report.recommended) {
    zval recommended;
    smtpx::php::port_choice_to_array(*report.recommended, &recommended);
    add_assoc_zval(out, "recommended", &recommended);
  } else {
    add_assoc_null(out, "recommended");
  }
  zval ports;
  array_init_size(&ports, static_cast<uint32_t>(report.ports.size()));
  for (const smtpx::delivery::PortProbe& probe : report.ports) {
    zval entry;
    port_probe_to_array(probe, &entry);
    add_next_index_zval(&ports, &entry);
  }
  add_assoc_zval(out, "ports", &ports);
  if (report.api) {
    zval api;
    api_probe_to_array(*report.api, &api);
    add_assoc_zval(out, "api", &api);
  } else {
    add_assoc_null(out, "api");
  }
}

}  // namespace

ZEND_FUNCTION(smtpx_probe) {
  HashTable* transport_array = nullptr;
  zend_string* transport_dsn = nullptr;
  ZEND_PARSE_PARAMETERS_START(0, 1)
  Z_PARAM_OPTIONAL
  Z_PARAM_ARRAY_HT_OR_STR_OR_NULL(transport_array, transport_dsn)
  ZEND_PARSE_PARAMETERS_END();

  smtpx::php::call_core(
      [&] {
        return smtpx::delivery::probe(smtpx::php::to_transport({transport_array, transport_dsn}));
      },
      [&](const smtpx::delivery::ProbeReport& report) { report_to_array(report, return_value); });
}
