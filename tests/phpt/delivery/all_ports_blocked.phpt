--TEST--
No port answering is a ConnectException within the connect budget, naming each port's fate
--SKIPIF--
<?php require __DIR__ . '/../inc/harness.inc'; smtpx_test_skip_unless_peers(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
require __DIR__ . '/sink_count.inc';
[$first, $keep1] = delivery_silent_port();
[$second, $keep2] = delivery_silent_port();
$closed = smtpx_test_free_port();
$started = microtime(true);
try {
    smtpx_send(delivery_message(), [
        'host' => '127.0.0.1', 'tls' => 'none', 'ports' => [$first, $closed, $second],
        'stagger' => 0.1, 'connect_timeout' => 0.8,
    ]);
} catch (Smtpx\ConnectException $e) {
    $took = microtime(true) - $started;
    var_dump($took >= 0.8 && $took < (smtpx_test_under_valgrind() ? 10 : 2.0));
    $message = str_replace([(string) $first, (string) $second, (string) $closed], ['FIRST', 'SECOND', 'CLOSED'],
                           $e->getMessage());
    echo $message, "\n";
    var_dump($e->isTransient(), $e->getPhase());
}
?>
--EXPECTF--
bool(true)
could not reach 127.0.0.1 on any port (FIRST (127.0.0.1) silent: connected, but no greeting within %fs; CLOSED (127.0.0.1) refused: connection refused: nothing listens there; SECOND (127.0.0.1) silent: connected, but no greeting within %fs): check the host name, or ask the hosting provider which outgoing ports it allows
bool(true)
string(7) "connect"
