--TEST--
A pooled connection the server closed while idle is replaced without an error surfacing
--SKIPIF--
<?php require __DIR__ . '/../inc/harness.inc'; smtpx_test_skip_unless_peers(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
require __DIR__ . '/sink_count.inc';
// -t: the sink hangs up on a client that says nothing for $idle seconds. It limits every
// wait for a command, the first send's too: under valgrind a client that runs this code for
// the first time, sharing the CPU with the other tests, can pause over a second between two
// commands, and a hang-up mid-send would fail the first send instead of the idle one.
$idle = smtpx_test_under_valgrind() ? 5 : 1;
$sink = smtpx_test_start_sink(['-v', '-t', (string) $idle]);
$before = delivery_sink_counts($sink);
var_dump(smtpx_send(delivery_message(), delivery_sink_transport($sink))['reused']);
sleep($idle + 1);
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
