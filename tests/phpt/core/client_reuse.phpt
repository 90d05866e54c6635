--TEST--
Smtpx\Client keeps its connection between sends, and opens a new one after close()
--SKIPIF--
<?php require __DIR__ . '/../inc/harness.inc'; smtpx_test_skip_unless_peers(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$client = new Smtpx\Client(smtpx_test_transport('submission'));
$m = ['from' => 'a@example.com', 'to' => 'b@example.com', 'subject' => 'reuse', 'text' => 'x'];
$first = $client->send($m);
$second = $client->send($m);
$raw = $client->sendRaw('a@example.com', ['b@example.com'], "Subject: raw\r\n\r\nbody\r\n");
var_dump($first['reused'], $second['reused'], $raw['reused']);
var_dump($first['message_id'] !== $second['message_id']);
// A refused transaction leaves the connection usable (RSET).
try {
    $client->send(['to' => 'reject-x@example.com'] + $m);
} catch (Smtpx\RejectedException $e) {
    echo "rejected\n";
}
var_dump($client->send($m)['reused']);
$client->close();
var_dump($client->send($m)['reused']);
?>
--EXPECT--
bool(false)
bool(true)
bool(true)
bool(true)
rejected
bool(true)
bool(false)
