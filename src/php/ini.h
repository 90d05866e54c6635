// The php.ini settings of smtpx. They are declared once (ini.cc) and read one
// way: from the module globals, which Zend parses and updates whenever a setting
// changes (php.ini, a per-directory setting, ini_set()).
#pragma once

#include <string_view>

#include "../core/delivery/transport.h"
#include "php.h"

ZEND_BEGIN_MODULE_GLOBALS(smtpx)
char* dsn;
double timeout;
char* cafile;
char* helo;
double stagger;
bool persistent;
double pool_idle;
double pool_max_age;
zend_long pool_max_messages;
zend_long pool_per_key;
double port_memory_ttl;
char* dkim_domain;
char* dkim_selector;
char* dkim_private_key;
char* dkim_algorithm;
ZEND_END_MODULE_GLOBALS(smtpx)

ZEND_EXTERN_MODULE_GLOBALS(smtpx)

namespace smtpx::php {

// MINIT and MSHUTDOWN: register and unregister the settings.
void ini_startup(int type, int module_number);
void ini_shutdown(int type, int module_number);

// The transport php.ini describes: smtpx.timeout, smtpx.cafile, smtpx.helo, the
// port race's smtpx.stagger and the pool's smtpx.persistent and smtpx.pool_*.
// The caller's DSN or array goes on top of it, so a value the caller gives wins.
delivery::Transport ini_transport();
// smtpx.dsn as currently set; empty when unset. A view into Zend's string, valid
// until the setting changes.
std::string_view ini_dsn();
// smtpx.port_memory_ttl: how long a port that won a race is remembered (a
// system setting, read at startup).
double ini_port_memory_ttl();

}  // namespace smtpx::php
