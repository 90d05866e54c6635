--TEST--
A refused port moves on at once, without waiting for the stagger
--SKIPIF--
<?php require __DIR__ . '/../inc/harness.inc'; smtpx_test_skip_unless_peers(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
require __DIR__ . '/sink_count.inc';
$sink = smtpx_test_start_sink([]);
$closed = smtpx_test_free_port();
$result = smtpx_send(delivery_message(), delivery_sink_transport($sink, [
    'port' => null, 'ports' => [$closed, $sink['port']], 'stagger' => 5, 'persistent' => false,
]));
var_dump($result['seconds'] < (smtpx_test_under_valgrind() ? 4 : 1));
echo $result['attempts'][0]['fate'], ": ", $result['attempts'][0]['detail'], "\n";
echo $result['attempts'][1]['fate'], "\n";
?>
--EXPECT--
bool(true)
refused: connection refused: nothing listens there
won
