--TEST--
A wrong password raises AuthException with code, enhanced status and hint; the password appears nowhere
--SKIPIF--
<?php require __DIR__ . '/../inc/harness.inc'; smtpx_test_skip_unless_peers(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$secret = 'Wr0ng-Secret-Value';
$t = ['password' => $secret, 'debug' => true] + smtpx_test_transport('submission');
try {
    smtpx_send(['from' => 'a@example.com', 'to' => 'b@example.com', 'text' => 'x'], $t);
} catch (Smtpx\AuthException $e) {
    var_dump($e->getSmtpCode(), $e->getEnhancedStatus(), $e->getPhase(), $e->isTransient());
    var_dump(str_contains($e->getMessage(), 'password'));
    $all = $e->getMessage() . $e->getTranscript() . $e->getTraceAsString() . print_r($e, true);
    var_dump(str_contains($all, $secret), str_contains($all, base64_encode("\0alice\0$secret")));
    var_dump(str_contains($e->getTranscript(), 'AUTH PLAIN <redacted>'));
    // The hint alone, as the message ends with it.
    var_dump($e->getHint() !== '', str_ends_with($e->getMessage(), '. ' . $e->getHint()));
}
?>
--EXPECT--
int(535)
string(5) "5.7.8"
string(4) "auth"
bool(false)
bool(true)
bool(false)
bool(false)
bool(true)
bool(true)
bool(true)
