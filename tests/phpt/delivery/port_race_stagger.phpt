--TEST--
A port that never greets loses to the next one after the stagger; the winner is remembered for the next send
--SKIPIF--
<?php require __DIR__ . '/../inc/harness.inc'; smtpx_test_skip_unless_peers(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
require __DIR__ . '/sink_count.inc';
$sink = smtpx_test_start_sink([]);
[$silent, $keep] = delivery_silent_port();
$transport = delivery_sink_transport($sink, [
    'port' => null,
    'ports' => [$silent, $sink['port']],
    'stagger' => 0.3,
    'persistent' => false,
]);
$first = smtpx_send(delivery_message(), $transport);
var_dump($first['port'] === $sink['port']);
foreach ($first['attempts'] as $attempt) {
    printf("%s %s %s\n", $attempt['port'] === $silent ? 'silent' : 'sink', $attempt['tls'], $attempt['fate']);
}
var_dump($first['seconds'] >= 0.3 && $first['seconds'] < (smtpx_test_under_valgrind() ? 10 : 2));
// The second send goes straight to the port that won.
$second = smtpx_send(delivery_message(), $transport);
echo count($second['attempts']), " attempt: ", $second['attempts'][0]['port'] === $sink['port'] ? 'sink' : 'silent',
    " ", $second['attempts'][0]['fate'], "\n";
var_dump($second['seconds'] < (smtpx_test_under_valgrind() ? 3 : 0.3));
echo json_encode(array_keys($first['attempts'][0])), "\n";
$ports = smtpx_pool_stats()['ports'];
echo "silent port: ", json_encode($ports[$silent]), ", sink port: ", json_encode($ports[$sink['port']]), "\n";
?>
--EXPECT--
bool(true)
silent none lost
sink none won
bool(true)
1 attempt: sink won
bool(true)
["port","tls","ip","fate","detail","seconds"]
silent port: {"wins":0,"failures":0,"lost":1}, sink port: {"wins":2,"failures":0,"lost":0}
