// smtpx_pool_stats() and smtpx_pool_close(): the connections this process keeps
// between requests, and how each port fared in its port races. The pool is a plain C++ object of the process
// (src/core/delivery/pool.cc), never request memory: it outlives requests by
// design, and MSHUTDOWN says QUIT to what is left.
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <map>
#include <utility>

#include "../../php_smtpx.h"
#include "../core/delivery/pool.h"
#include "../core/delivery/port_tallies.h"
#include "call.h"

namespace {

using smtpx::delivery::DropReason;
using smtpx::delivery::PoolStats;
using smtpx::delivery::PortTally;

void stats_to_array(const PoolStats& stats, const std::map<uint16_t, PortTally>& tallies, zval* out) {
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
  for (const auto& [port, tally] : tallies) {
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
  smtpx::php::call_core(
      [] {
        return std::make_pair(smtpx::delivery::Pool::process().stats(),
                              smtpx::delivery::PortTallies::process().snapshot());
      },
      [&](const auto& stats) { stats_to_array(stats.first, stats.second, return_value); });
}

ZEND_FUNCTION(smtpx_pool_close) {
  ZEND_PARSE_PARAMETERS_NONE();
  smtpx::php::call_core([] { smtpx::delivery::Pool::process().close(); });
}
