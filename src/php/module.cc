// The module: what smtpx offers PHP (functions and classes from the stub), its
// startup and shutdown, and its phpinfo() section. The php.ini settings are in
// ini.cc.
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <openssl/crypto.h>

#include <cstdlib>
#include <exception>
#include <string>

#include "../../php_smtpx.h"
#include "ext/spl/spl_exceptions.h"
#include "ext/standard/info.h"
#include "php_ini.h"
#include "zend_attributes.h"
// The generated registration code is C, where the void* from
// zend_hash_str_find_ptr() converts implicitly; C++ needs the cast said.
#define zend_hash_str_find_ptr(table, name, length) \
  static_cast<zend_function*>(zend_hash_str_find_ptr(table, name, length))
#include "../../smtpx_arginfo.h"
#undef zend_hash_str_find_ptr
#include "../core/delivery/pool.h"
#include "../core/delivery/port_memory.h"
#include "../core/oauth/token_cache.h"
#include "client.h"
#include "exceptions.h"
#include "ini.h"

namespace {

// What sys_get_temp_dir() answers: sys_temp_dir, else TMPDIR, else /tmp. Not
// php_get_temporary_directory() itself: it caches its answer in request memory,
// which at startup would be freed under it by the end of the first request.
std::string temporary_directory() {
  if (const char* configured = PG(sys_temp_dir); configured && *configured) return configured;
  if (const char* environment = getenv("TMPDIR"); environment && *environment) return environment;
  return "/tmp";
}

}  // namespace

static PHP_GINIT_FUNCTION(smtpx) {
#if defined(COMPILE_DL_SMTPX) && defined(ZTS)
  ZEND_TSRMLS_CACHE_UPDATE();
#endif
  memset(smtpx_globals, 0, sizeof(*smtpx_globals));
}

static PHP_MINIT_FUNCTION(smtpx) {
  smtpx::php::ini_startup(type, module_number);
  // The pool, the port memory and the token cache are plain C++ objects of the
  // process, never request memory: they outlive requests by design.
  try {
    const std::string directory = temporary_directory();
    smtpx::delivery::PortMemory::process().configure(directory, smtpx::php::ini_port_memory_ttl());
    smtpx::oauth::TokenCache::process().configure(directory);
  } catch (const std::exception&) {
    return FAILURE;  // no memory for a path at startup: PHP reports the module as failed
  }

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
  // QUIT to every kept connection; nothing may escape into Zend on the way out.
  try {
    smtpx::delivery::Pool::process().close();
  } catch (...) {
  }
  smtpx::php::ini_shutdown(type, module_number);
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
