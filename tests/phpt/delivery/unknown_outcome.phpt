--TEST--
A connection dying after the end of the data is an unknown outcome, and the send is not retried
--SKIPIF--
<?php require __DIR__ . '/../inc/harness.inc'; smtpx_test_skip_unless_peers(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
require __DIR__ . '/sink_count.inc';
$sink = smtpx_test_start_sink(['-v', '-q', '.']);
$before = delivery_sink_counts($sink);
try {
    smtpx_send(delivery_message(), delivery_sink_transport($sink));
    echo "sent?\n";
} catch (Smtpx\Exception $e) {
    echo get_class($e), "\n";
    var_dump($e->isOutcomeUnknown(), $e->getPhase());
}
$after = delivery_sink_counts($sink);
echo $after['connections'] - $before['connections'], " connection, idle ", smtpx_pool_stats()['idle'],
    ", dropped failed ", smtpx_pool_stats()['dropped']['failed'], "\n";
?>
--EXPECTF--
Smtpx\%sException
bool(true)
string(4) "data"
1 connection, idle 0, dropped failed 1
