--TEST--
persistent => false (or smtpx.persistent=0) opens and closes a connection per send
--SKIPIF--
<?php require __DIR__ . '/../inc/harness.inc'; smtpx_test_skip_unless_peers(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
require __DIR__ . '/sink_count.inc';
$sink = smtpx_test_start_sink(['-v']);
$before = delivery_sink_counts($sink);
$reused = [];
for ($i = 0; $i < 3; $i++) {
    $reused[] = smtpx_send(delivery_message(), delivery_sink_transport($sink, ['persistent' => false]))['reused'];
}
ini_set('smtpx.persistent', '0');
$reused[] = smtpx_send(delivery_message(), delivery_sink_transport($sink))['reused'];
echo json_encode($reused), "\n";
$after = delivery_sink_counts($sink);
echo $after['connections'] - $before['connections'], " connections, ", $after['quits'] - $before['quits'], " QUITs\n";
echo "idle ", smtpx_pool_stats()['idle'], "\n";
?>
--EXPECT--
[false,false,false,false]
4 connections, 4 QUITs
idle 0
