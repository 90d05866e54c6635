// The module: what smtpx offers PHP (functions and classes from the stub), its
// php.ini settings, and its phpinfo() section, where the DSN password is masked.
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <openssl/crypto.h>

#include <string_view>

#include "../../php_smtpx.h"
#include "SAPI.h"
#include "ext/spl/spl_exceptions.h"
#include "ext/standard/info.h"
#include "php_ini.h"
#include "php_main.h"
#include "zend_attributes.h"
// The generated registration code is C, where the void* from
// zend_hash_str_find_ptr() converts implicitly; C++ needs the cast said.
#define zend_hash_str_find_ptr(table, name, length) \
  static_cast<zend_function*>(zend_hash_str_find_ptr(table, name, length))
#include "../../smtpx_arginfo.h"
#include "../core/delivery/transport.h"
#undef zend_hash_str_find_ptr
#include "client.h"
#include "convert.h"
#include "exceptions.h"
#include "module.h"
#include "pool_functions.h"

ZEND_BEGIN_MODULE_GLOBALS(smtpx)
char* dsn;
double timeout;
char* cafile;
char* helo;
ZEND_END_MODULE_GLOBALS(smtpx)

ZEND_DECLARE_MODULE_GLOBALS(smtpx)
#define SMTPX_G(v) ZEND_MODULE_GLOBALS_ACCESSOR(smtpx, v)

namespace smtpx::php {

namespace {

std::string_view setting(const char* value) {
  return value ? std::string_view(value) : std::string_view();
}

void print_info(std::string_view text) {
  if (sapi_module.phpinfo_as_text)
    PHPWRITE(text.data(), text.size());
  else
    php_html_puts(text.data(), text.size());
}

}  // namespace

IniSettings ini_settings() {
  return {setting(SMTPX_G(dsn)), SMTPX_G(timeout), setting(SMTPX_G(cafile)), setting(SMTPX_G(helo))};
}

}  // namespace smtpx::php

// phpinfo() and ini_get_all() display: smtpx.dsn without its password. ini_get()
// still returns the value as set, as it does for every setting.
static ZEND_INI_DISP(display_dsn) {
  const zend_string* value =
      type == ZEND_INI_DISPLAY_ORIG && ini_entry->modified ? ini_entry->orig_value : ini_entry->value;
  if (!value || ZSTR_LEN(value) == 0) {
    PUTS(sapi_module.phpinfo_as_text ? "no value" : "<i>no value</i>");
    return;
  }
  smtpx::php::print_info(smtpx::delivery::redact_dsn(smtpx::php::view(value)));
}

PHP_INI_BEGIN()
STD_PHP_INI_ENTRY_EX("smtpx.dsn", "", PHP_INI_ALL, OnUpdateString, dsn, zend_smtpx_globals, smtpx_globals,
                     display_dsn)
STD_PHP_INI_ENTRY("smtpx.timeout", "30", PHP_INI_ALL, OnUpdateReal, timeout, zend_smtpx_globals,
                  smtpx_globals)
STD_PHP_INI_ENTRY("smtpx.cafile", "", PHP_INI_ALL, OnUpdateString, cafile, zend_smtpx_globals, smtpx_globals)
STD_PHP_INI_ENTRY("smtpx.helo", "", PHP_INI_ALL, OnUpdateString, helo, zend_smtpx_globals, smtpx_globals)
PHP_INI_END()

static PHP_GINIT_FUNCTION(smtpx) {
#if defined(COMPILE_DL_SMTPX) && defined(ZTS)
  ZEND_TSRMLS_CACHE_UPDATE();
#endif
  memset(smtpx_globals, 0, sizeof(*smtpx_globals));
}

static PHP_MINIT_FUNCTION(smtpx) {
  REGISTER_INI_ENTRIES();
  smtpx::php::pool_startup(type, module_number);

  smtpx::php::ExceptionClasses& exceptions = smtpx::php::exception_classes;
  exceptions.base = register_class_Smtpx_Exception(spl_ce_RuntimeException);
  exceptions.connect = register_class_Smtpx_ConnectException(exceptions.base);
  exceptions.tls = register_class_Smtpx_TlsException(exceptions.base);
  exceptions.auth = register_class_Smtpx_AuthException(exceptions.base);
  exceptions.rejected = register_class_Smtpx_RejectedException(exceptions.base);
  exceptions.protocol = register_class_Smtpx_ProtocolException(exceptions.base);
  exceptions.timeout = register_class_Smtpx_TimeoutException(exceptions.base);

  smtpx::php::client_startup(register_class_Smtpx_Client());

  register_smtpx_symbols(module_number);
  return SUCCESS;
}

static PHP_MSHUTDOWN_FUNCTION(smtpx) {
  smtpx::php::pool_shutdown();
  UNREGISTER_INI_ENTRIES();
  return SUCCESS;
}

static PHP_MINFO_FUNCTION(smtpx) {
  php_info_print_table_start();
  php_info_print_table_row(2, "smtpx support", "enabled");
  php_info_print_table_row(2, "Version", PHP_SMTPX_VERSION);
  php_info_print_table_row(2, "OpenSSL", OpenSSL_version(OPENSSL_VERSION));
  php_info_print_table_end();
  DISPLAY_INI_ENTRIES();
}

static const zend_module_dep smtpx_deps[] = {
    ZEND_MOD_REQUIRED("spl") ZEND_MOD_END,
};

zend_module_entry smtpx_module_entry = {
    STANDARD_MODULE_HEADER_EX,
    nullptr,
    smtpx_deps,
    "smtpx",
    ext_functions,
    PHP_MINIT(smtpx),
    PHP_MSHUTDOWN(smtpx),
    nullptr,
    nullptr,
    PHP_MINFO(smtpx),
    PHP_SMTPX_VERSION,
    PHP_MODULE_GLOBALS(smtpx),
    PHP_GINIT(smtpx),
    nullptr,
    nullptr,
    STANDARD_MODULE_PROPERTIES_EX,
};

#ifdef COMPILE_DL_SMTPX
#ifdef ZTS
ZEND_TSRMLS_CACHE_DEFINE()
#endif
ZEND_GET_MODULE(smtpx)
#endif
