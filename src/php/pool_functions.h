// The glue of the delivery path: the pool's and the port race's php.ini
// settings and transport options, smtpx_pool_stats(), smtpx_pool_close() and
// smtpx_probe() (pool_functions.cc).
#pragma once

#include <vector>

#include "../core/delivery/port_race.h"
#include "../core/delivery/transport.h"
#include "php.h"

namespace smtpx::php {

// MINIT: registers smtpx.stagger, smtpx.persistent, smtpx.pool_* and
// smtpx.port_memory_ttl, and points the port memory at sys_get_temp_dir().
void pool_startup(int type, int module_number);
// MSHUTDOWN: QUIT to every kept connection.
void pool_shutdown();

// Sets the transport's fields that the INI settings above back; the caller's own
// values are applied after, so they win.
void apply_pool_ini(delivery::Transport& transport);
// SendResult's attempts: a list of [port, tls, ip, fate, detail, seconds].
void attempts_to_array(const std::vector<delivery::PortAttempt>& attempts, zval* out);

}  // namespace smtpx::php
