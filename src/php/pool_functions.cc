// smtpx_pool_stats() and smtpx_pool_close(): the connections this process keeps
// between requests. The pool is a plain C++ object of the process
// (src/core/delivery/pool.cc), never request memory: it outlives requests by
// design, and MSHUTDOWN says QUIT to what is left.
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "../../php_smtpx.h"
#include "../core/delivery/pool.h"
#include "call.h"

namespace {

using smtpx::delivery::DropReason;
using smtpx::delivery::PoolStats;

void stats_to_array(const PoolStats& stats, zval* out) {
  array_init_size(out, 5);
  add_assoc_long(out, "opened", static_cast<zend_long>(stats.opened));
  add_assoc_long(out, "reused", static_cast<zend_long>(stats.reused));
  add_assoc_long(out, "idle", static_cast<zend_long>(stats.idle));
  zval dropped;
  array_init(&dropped);
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

}  // namespace

ZEND_FUNCTION(smtpx_pool_stats) {
  ZEND_PARSE_PARAMETERS_NONE();
  smtpx::php::call_core([] { return smtpx::delivery::Pool::process().stats(); },
                        [&](const PoolStats& stats) { stats_to_array(stats, return_value); });
}

ZEND_FUNCTION(smtpx_pool_close) {
  ZEND_PARSE_PARAMETERS_NONE();
  smtpx::php::call_core([] { smtpx::delivery::Pool::process().close(); });
}
