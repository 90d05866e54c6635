--TEST--
A message over the server's advertised SIZE is refused before its content is sent
--SKIPIF--
<?php require __DIR__ . '/../inc/harness.inc'; smtpx_test_skip_unless_peers(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$big = str_repeat(str_repeat('x', 76) . "\n", 150000);  // about 11.5 MB; port 10587 allows 10 MB
try {
    smtpx_send_raw('a@example.com', ['b@example.com'], "Subject: big\r\n\r\n" . $big,
        ['debug' => true] + smtpx_test_transport('submission'));
} catch (Smtpx\RejectedException $e) {
    var_dump($e->getSmtpCode(), $e->getEnhancedStatus(), $e->isTransient());
    var_dump(str_contains($e->getMessage(), 'SIZE'));
}
?>
--EXPECT--
int(552)
string(5) "5.3.4"
bool(false)
bool(true)
