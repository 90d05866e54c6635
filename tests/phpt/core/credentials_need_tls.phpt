--TEST--
A server that offers AUTH but no STARTTLS never receives the credentials
--SKIPIF--
<?php require __DIR__ . '/../inc/harness.inc'; smtpx_test_skip_unless_peers(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$sink = smtpx_test_start_sink([]);  // smtp-sink offers AUTH PLAIN LOGIN and no STARTTLS
$t = ['host' => '127.0.0.1', 'port' => $sink['port'], 'username' => 'alice', 'password' => 'pa55-in-clear',
      'timeout' => 5, 'debug' => true];
try {
    smtpx_send(['from' => 'a@example.com', 'to' => 'b@example.com', 'text' => 'x'], $t);
} catch (Smtpx\TlsException $e) {
    var_dump($e->getPhase(), $e->isTransient());
    var_dump(str_contains($e->getTranscript(), 'C: AUTH'), str_contains($e->getTranscript(), 'C: MAIL'));
}
try {
    smtpx_send(['from' => 'a@example.com', 'to' => 'b@example.com', 'text' => 'x'], smtpx_test_transport('auth_no_tls'));
} catch (Smtpx\TlsException $e) {
    var_dump($e->getPhase());
}
?>
--EXPECT--
string(3) "tls"
bool(false)
bool(false)
bool(false)
string(3) "tls"
