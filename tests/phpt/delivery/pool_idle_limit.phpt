--TEST--
pool_idle: a connection unused for longer is closed with QUIT and a new one opened
--SKIPIF--
<?php require __DIR__ . '/../inc/harness.inc'; smtpx_test_skip_unless_peers(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
require __DIR__ . '/sink_count.inc';
$sink = smtpx_test_start_sink(['-v']);
$before = delivery_sink_counts($sink);
$transport = delivery_sink_transport($sink, ['pool_idle' => 0.5]);
var_dump(smtpx_send(delivery_message(), $transport)['reused']);
var_dump(smtpx_send(delivery_message(), $transport)['reused']);
usleep(700000);
var_dump(smtpx_send(delivery_message(), $transport)['reused']);
$after = delivery_sink_counts($sink);
echo $after['connections'] - $before['connections'], " connections, ", $after['quits'] - $before['quits'],
    " QUIT, dropped idle ", smtpx_pool_stats()['dropped']['idle'], "\n";
// The kept connection has carried one message; with a limit of 2 it carries one more.
ini_set('smtpx.pool_max_messages', '2');
$reused = [];
for ($i = 0; $i < 4; $i++) {
    $reused[] = smtpx_send(delivery_message(), delivery_sink_transport($sink))['reused'];
}
echo json_encode($reused), " dropped messages ", smtpx_pool_stats()['dropped']['messages'], "\n";
?>
--EXPECT--
bool(false)
bool(true)
bool(false)
2 connections, 1 QUIT, dropped idle 1
[true,false,true,false] dropped messages 2
