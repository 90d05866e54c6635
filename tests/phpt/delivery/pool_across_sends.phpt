--TEST--
smtpx_send() keeps its connection across sends: five sends, one connection, QUIT at smtpx_pool_close()
--SKIPIF--
<?php require __DIR__ . '/../inc/harness.inc'; smtpx_test_skip_unless_peers(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
require __DIR__ . '/sink_count.inc';
$sink = smtpx_test_start_sink(['-v']);
$before = delivery_sink_counts($sink);
$reused = [];
for ($i = 0; $i < 5; $i++) {
    $reused[] = smtpx_send(delivery_message(), delivery_sink_transport($sink))['reused'];
}
echo json_encode($reused), "\n";
$stats = smtpx_pool_stats();
echo "opened {$stats['opened']}, reused {$stats['reused']}, idle {$stats['idle']}\n";
echo "wins on the sink's port: {$stats['ports'][$sink['port']]['wins']}\n";
$after = delivery_sink_counts($sink);
echo "server saw ", $after['connections'] - $before['connections'], " connection(s), ",
    $after['quits'] - $before['quits'], " QUIT(s)\n";
smtpx_pool_close();
$closed = delivery_sink_counts($sink);
echo "after smtpx_pool_close(): ", $closed['quits'] - $before['quits'], " QUIT(s), idle ",
    smtpx_pool_stats()['idle'], ", dropped closed ", smtpx_pool_stats()['dropped']['closed'], "\n";
echo json_encode(array_keys($stats)), "\n", json_encode(array_keys($stats['dropped'])), "\n";
?>
--EXPECT--
[false,true,true,true,true]
opened 1, reused 4, idle 1
wins on the sink's port: 1
server saw 1 connection(s), 0 QUIT(s)
after smtpx_pool_close(): 1 QUIT(s), idle 0, dropped closed 1
["opened","reused","idle","dropped","ports"]
["idle","age","messages","dead","surplus","failed","fork","closed"]
