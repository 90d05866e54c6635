--TEST--
A pooled connection the server closed while idle is replaced without an error surfacing
--SKIPIF--
<?php require __DIR__ . '/../inc/harness.inc'; smtpx_test_skip_unless_peers(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
require __DIR__ . '/sink_count.inc';
// -t 1: the sink hangs up on a client that says nothing for a second.
$sink = smtpx_test_start_sink(['-v', '-t', '1']);
$before = delivery_sink_counts($sink);
var_dump(smtpx_send(delivery_message(), delivery_sink_transport($sink))['reused']);
sleep(2);
$second = smtpx_send(delivery_message(), delivery_sink_transport($sink));
var_dump($second['reused'], $second['reply']);
$after = delivery_sink_counts($sink);
echo $after['connections'] - $before['connections'], " connections, dropped dead ",
    smtpx_pool_stats()['dropped']['dead'], "\n";
?>
--EXPECTF--
bool(false)
bool(false)
string(%d) "250 2.0.0 Ok%S"
2 connections, dropped dead 1
