// The php.ini settings: one table, each entry parsed by Zend into the module
// globals (OnUpdate*), and phpinfo()'s display of smtpx.dsn with its secrets masked
// and of smtpx.dkim_private_key as a path only.
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <algorithm>
#include <string>
#include <string_view>

#include "../../php_smtpx.h"
#include "SAPI.h"
#include "call.h"
#include "convert.h"
#include "ini.h"
#include "php_ini.h"
#include "php_main.h"

ZEND_DECLARE_MODULE_GLOBALS(smtpx)
#define SMTPX_G(v) ZEND_MODULE_GLOBALS_ACCESSOR(smtpx, v)

namespace {

std::string_view setting(const char* value) {
  return value ? std::string_view(value) : std::string_view();
}

// The transport's counts are from 0 to 1000000, as the array form enforces.
unsigned count(zend_long value) {
  return static_cast<unsigned>(std::clamp<zend_long>(value, 0, 1'000'000));
}

void print_info(std::string_view text) {
  if (sapi_module.phpinfo_as_text)
    PHPWRITE(text.data(), text.size());
  else
    php_html_puts(text.data(), text.size());
}

// What phpinfo() shows of a setting whose value it must not show as it is: `shown`
// of the value (the original one for the "Master Value" column), or "no value".
// Through call_core, as any call into the core: Zend's output may bail out.
template <class Shown>
void display(const zend_ini_entry* ini_entry, int type, Shown shown) {
  const zend_string* value =
      type == ZEND_INI_DISPLAY_ORIG && ini_entry->modified ? ini_entry->orig_value : ini_entry->value;
  if (!value || ZSTR_LEN(value) == 0) {
    PUTS(sapi_module.phpinfo_as_text ? "no value" : "<i>no value</i>");
    return;
  }
  smtpx::php::call_core([&] { return shown(smtpx::php::view(value)); },
                        [](const std::string& text) { print_info(text); });
}

}  // namespace

// phpinfo() and ini_get_all() display: smtpx.dsn without its password or token.
// ini_get() still returns the value as set, as it does for every setting.
static ZEND_INI_DISP(display_dsn) {
  display(ini_entry, type, [](std::string_view dsn) { return smtpx::delivery::redact_dsn(dsn); });
}

// smtpx.dkim_private_key is a path; should someone paste the key itself there, phpinfo()
// does not show it (smtpx refuses to sign with it, saying why).
static ZEND_INI_DISP(display_private_key) {
  display(ini_entry, type, [](std::string_view key) {
    return smtpx::dkim::is_pem_text(std::string(key))
               ? std::string("(a PEM key, not shown: give the path of its file)")
               : std::string(key);
  });
}

#define SMTPX_INI(name, default_value, changeable, on_update, field) \
  STD_PHP_INI_ENTRY(name, default_value, changeable, on_update, field, zend_smtpx_globals, smtpx_globals)

PHP_INI_BEGIN()
STD_PHP_INI_ENTRY_EX("smtpx.dsn", "", PHP_INI_ALL, OnUpdateString, dsn, zend_smtpx_globals, smtpx_globals,
                     display_dsn)
SMTPX_INI("smtpx.timeout", "30", PHP_INI_ALL, OnUpdateReal, timeout)
SMTPX_INI("smtpx.cafile", "", PHP_INI_ALL, OnUpdateString, cafile)
SMTPX_INI("smtpx.helo", "", PHP_INI_ALL, OnUpdateString, helo)
SMTPX_INI("smtpx.stagger", "0.25", PHP_INI_ALL, OnUpdateReal, stagger)
SMTPX_INI("smtpx.persistent", "1", PHP_INI_ALL, OnUpdateBool, persistent)
SMTPX_INI("smtpx.pool_idle", "30", PHP_INI_ALL, OnUpdateReal, pool_idle)
SMTPX_INI("smtpx.pool_max_age", "300", PHP_INI_ALL, OnUpdateReal, pool_max_age)
SMTPX_INI("smtpx.pool_max_messages", "100", PHP_INI_ALL, OnUpdateLong, pool_max_messages)
SMTPX_INI("smtpx.pool_per_key", "2", PHP_INI_ALL, OnUpdateLong, pool_per_key)
SMTPX_INI("smtpx.port_memory_ttl", "3600", PHP_INI_SYSTEM, OnUpdateReal, port_memory_ttl)
// The host's DKIM key, for every site's mail From its domain (or a subdomain).
SMTPX_INI("smtpx.dkim_domain", "", PHP_INI_SYSTEM, OnUpdateString, dkim_domain)
SMTPX_INI("smtpx.dkim_selector", "", PHP_INI_SYSTEM, OnUpdateString, dkim_selector)
STD_PHP_INI_ENTRY_EX("smtpx.dkim_private_key", "", PHP_INI_SYSTEM, OnUpdateString, dkim_private_key,
                     zend_smtpx_globals, smtpx_globals, display_private_key)
SMTPX_INI("smtpx.dkim_algorithm", "rsa-sha256", PHP_INI_SYSTEM, OnUpdateString, dkim_algorithm)
PHP_INI_END()

namespace smtpx::php {

void ini_startup(int type, int module_number) {
  REGISTER_INI_ENTRIES();
}

void ini_shutdown(int type, int module_number) {
  UNREGISTER_INI_ENTRIES();
}

delivery::Transport ini_transport() {
  delivery::Transport transport;
  transport.timeout = SMTPX_G(timeout);
  transport.cafile = setting(SMTPX_G(cafile));
  transport.helo = setting(SMTPX_G(helo));
  transport.stagger = SMTPX_G(stagger);
  transport.persistent = SMTPX_G(persistent);
  transport.pool.idle = SMTPX_G(pool_idle);
  transport.pool.max_age = SMTPX_G(pool_max_age);
  transport.pool.max_messages = count(SMTPX_G(pool_max_messages));
  transport.pool.per_key = count(SMTPX_G(pool_per_key));
  if (!setting(SMTPX_G(dkim_domain)).empty()) {
    dkim::DkimSettings& key = transport.host_dkim.emplace();
    key.domain = setting(SMTPX_G(dkim_domain));
    key.selector = setting(SMTPX_G(dkim_selector));
    key.private_key = setting(SMTPX_G(dkim_private_key));
    key.algorithm = setting(SMTPX_G(dkim_algorithm));
  }
  return transport;
}

std::string_view ini_dsn() {
  return setting(SMTPX_G(dsn));
}

double ini_port_memory_ttl() {
  return std::max(0.0, SMTPX_G(port_memory_ttl));
}

}  // namespace smtpx::php
