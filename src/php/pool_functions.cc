// smtpx_pool_stats(), smtpx_pool_close() and smtpx_probe(), and the php.ini
// settings of the delivery path. The pool and the port memory are plain C++
// objects of the process (src/core/delivery), never request memory: they
// outlive requests by design, and MSHUTDOWN says QUIT to what is left.
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <strings.h>

#include <algorithm>
#include <cstdlib>
#include <string>
#include <string_view>

#include "../../php_smtpx.h"
#include "../core/delivery/pool.h"
#include "../core/delivery/port_memory.h"
#include "../core/delivery/probe.h"
#include "../core/oauth/token_cache.h"
#include "call.h"
#include "convert.h"
#include "php_ini.h"
#include "pool_functions.h"

using smtpx::delivery::Pool;
using smtpx::delivery::PoolStats;
using smtpx::delivery::ProbeReport;

namespace {

PHP_INI_BEGIN()
PHP_INI_ENTRY("smtpx.stagger", "0.25", PHP_INI_ALL, nullptr)
PHP_INI_ENTRY("smtpx.persistent", "1", PHP_INI_ALL, nullptr)
PHP_INI_ENTRY("smtpx.pool_idle", "30", PHP_INI_ALL, nullptr)
PHP_INI_ENTRY("smtpx.pool_max_age", "300", PHP_INI_ALL, nullptr)
PHP_INI_ENTRY("smtpx.pool_max_messages", "100", PHP_INI_ALL, nullptr)
PHP_INI_ENTRY("smtpx.pool_per_key", "2", PHP_INI_ALL, nullptr)
PHP_INI_ENTRY("smtpx.port_memory_ttl", "3600", PHP_INI_SYSTEM, nullptr)
PHP_INI_END()

// ini_set() stores what it is given: "on" and "yes" as well as the "1" php.ini makes of On.
bool ini_flag(const char* name) {
  const char* value = zend_ini_string(name, strlen(name), 0);
  if (!value) return false;
  for (const char* word : {"1", "on", "yes", "true"})
    if (strcasecmp(value, word) == 0) return true;
  return false;
}

unsigned ini_count(const char* name) {
  return static_cast<unsigned>(std::clamp<zend_long>(zend_ini_long(name, strlen(name), 0), 0, 1'000'000));
}

const char* tls_mode_name(smtpx::smtp::TlsMode mode) {
  switch (mode) {
    case smtpx::smtp::TlsMode::implicit:
      return "implicit";
    case smtpx::smtp::TlsMode::none:
      return "none";
    case smtpx::smtp::TlsMode::starttls:
      break;
  }
  return "starttls";
}

void add_string(zval* array, const char* key, std::string_view text) {
  add_assoc_stringl_ex(array, key, strlen(key), text.data(), text.size());
}

void add_optional_string(zval* array, const char* key, std::string_view text) {
  if (text.empty())
    add_assoc_null(array, key);
  else
    add_string(array, key, text);
}

void add_list(zval* array, const char* key, const std::vector<std::string>& items) {
  zval list;
  array_init_size(&list, static_cast<uint32_t>(items.size()));
  for (const std::string& item : items) add_next_index_stringl(&list, item.data(), item.size());
  add_assoc_zval(array, key, &list);
}

void port_choice_to_array(const smtpx::delivery::PortChoice& choice, zval* out) {
  array_init_size(out, 2);
  add_assoc_long(out, "port", choice.port);
  add_assoc_string(out, "tls", tls_mode_name(choice.tls));
}

void stats_to_array(const PoolStats& stats, zval* out) {
  array_init_size(out, 5);
  add_assoc_long(out, "opened", static_cast<zend_long>(stats.opened));
  add_assoc_long(out, "reused", static_cast<zend_long>(stats.reused));
  add_assoc_long(out, "idle", static_cast<zend_long>(stats.idle));
  zval dropped;
  array_init(&dropped);
  using smtpx::delivery::DropReason;
  for (DropReason reason : {DropReason::idle, DropReason::age, DropReason::messages, DropReason::dead,
                            DropReason::surplus, DropReason::failed, DropReason::fork, DropReason::closed}) {
    const auto found = stats.dropped.find(reason);
    add_assoc_long(&dropped, smtpx::delivery::drop_reason_name(reason),
                   found == stats.dropped.end() ? 0 : static_cast<zend_long>(found->second));
  }
  add_assoc_zval(out, "dropped", &dropped);
  zval ports;
  array_init(&ports);
  for (const auto& [port, tally] : stats.ports) {
    zval entry;
    array_init_size(&entry, 3);
    add_assoc_long(&entry, "wins", static_cast<zend_long>(tally.wins));
    add_assoc_long(&entry, "failures", static_cast<zend_long>(tally.failures));
    add_assoc_long(&entry, "lost", static_cast<zend_long>(tally.lost));
    add_index_zval(&ports, port, &entry);
  }
  add_assoc_zval(out, "ports", &ports);
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

void report_to_array(const ProbeReport& report, zval* out) {
  array_init_size(out, 3);
  add_string(out, "host", report.host);
  if (report.recommended) {
    zval recommended;
    port_choice_to_array(*report.recommended, &recommended);
    add_assoc_zval(out, "recommended", &recommended);
  } else {
    add_assoc_null(out, "recommended");
  }
  zval ports;
  array_init_size(&ports, static_cast<uint32_t>(report.ports.size()));
  for (const smtpx::delivery::PortProbe& probe : report.ports) {
    zval entry;
    port_choice_to_array(probe.choice, &entry);
    add_assoc_bool(&entry, "connected", probe.connected);
    add_assoc_double(&entry, "connect_seconds", probe.connect_seconds);
    add_optional_string(&entry, "ip", probe.ip);
    add_optional_string(&entry, "greeting", probe.greeting);
    if (probe.tls) {
      zval tls;
      tls_info_to_array(*probe.tls, &tls);
      add_assoc_zval(&entry, "tls_info", &tls);
    } else {
      add_assoc_null(&entry, "tls_info");
    }
    add_list(&entry, "extensions", probe.extensions);
    add_list(&entry, "auth", probe.auth);
    if (probe.auth_succeeded)
      add_assoc_bool(&entry, "auth_succeeded", *probe.auth_succeeded);
    else
      add_assoc_null(&entry, "auth_succeeded");
    add_assoc_bool(&entry, "usable", probe.usable);
    add_optional_string(&entry, "failed_phase", probe.failed_phase);
    add_optional_string(&entry, "error", probe.error);
    add_next_index_zval(&ports, &entry);
  }
  add_assoc_zval(out, "ports", &ports);
}

// What sys_get_temp_dir() answers: sys_temp_dir, else TMPDIR, else /tmp. Not
// php_get_temporary_directory() itself: it caches its answer in request memory,
// which at startup would be freed under it by the end of the first request.
std::string temporary_directory() {
  if (const char* configured = PG(sys_temp_dir); configured && *configured) return configured;
  if (const char* environment = getenv("TMPDIR"); environment && *environment) return environment;
  return "/tmp";
}

}  // namespace

namespace smtpx::php {

void pool_startup(int type, int module_number) {
  zend_register_ini_entries_ex(ini_entries, module_number, type);
  delivery::PortMemory::process().configure(temporary_directory(),
                                            std::max(0.0, INI_FLT("smtpx.port_memory_ttl")));
  oauth::TokenCache::process().configure(temporary_directory());
}

void pool_shutdown() {
  delivery::Pool::process().close();
}

void apply_pool_ini(delivery::Transport& transport) {
  transport.stagger = INI_FLT("smtpx.stagger");
  transport.persistent = ini_flag("smtpx.persistent");
  transport.pool.idle = INI_FLT("smtpx.pool_idle");
  transport.pool.max_age = INI_FLT("smtpx.pool_max_age");
  transport.pool.max_messages = ini_count("smtpx.pool_max_messages");
  transport.pool.per_key = ini_count("smtpx.pool_per_key");
}

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

}  // namespace smtpx::php

using namespace smtpx::php;

ZEND_FUNCTION(smtpx_pool_stats) {
  ZEND_PARSE_PARAMETERS_NONE();
  if (!finish(run_core<PoolStats>([](Blame&) { return Pool::process().stats(); }),
              [&](const PoolStats& stats) { stats_to_array(stats, return_value); }))
    zend_bailout();
}

ZEND_FUNCTION(smtpx_pool_close) {
  ZEND_PARSE_PARAMETERS_NONE();
  if (!finish(run_core<bool>([](Blame&) {
                Pool::process().close();
                return true;
              }),
              [](bool) {}))
    zend_bailout();
}

ZEND_FUNCTION(smtpx_probe) {
  HashTable* transport_array = nullptr;
  zend_string* transport_dsn = nullptr;
  ZEND_PARSE_PARAMETERS_START(0, 1)
  Z_PARAM_OPTIONAL
  Z_PARAM_ARRAY_HT_OR_STR_OR_NULL(transport_array, transport_dsn)
  ZEND_PARSE_PARAMETERS_END();

  if (!finish(run_core<ProbeReport>([&](Blame&) {
                return smtpx::delivery::probe(to_transport({transport_array, transport_dsn}));
              }),
              [&](const ProbeReport& report) { report_to_array(report, return_value); }))
    zend_bailout();
}
