--TEST--
TLS is verified by default: a wrong host name or an unknown CA is refused; tls_verify => false opts out
--SKIPIF--
<?php require __DIR__ . '/../inc/harness.inc'; smtpx_test_skip_unless_peers(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$m = ['from' => 'a@example.com', 'to' => 'b@example.com', 'subject' => 'cert', 'text' => 'x'];
try {
    smtpx_send($m, smtpx_test_transport('wrong_host'));
} catch (Smtpx\TlsException $e) {
    var_dump($e->getPhase(), str_contains($e->getMessage(), 'wrong.example') || str_contains($e->getMessage(), 'host name'));
}
$noCa = smtpx_test_transport('submission');
unset($noCa['cafile']);
try {
    smtpx_send($m, $noCa);
} catch (Smtpx\TlsException $e) {
    var_dump($e->getPhase(), str_contains($e->getMessage(), 'cafile'));
}
$r = smtpx_send($m, ['tls_verify' => false] + smtpx_test_transport('wrong_host'));
var_dump($r['accepted']);
?>
--EXPECT--
string(3) "tls"
bool(true)
string(3) "tls"
bool(true)
array(1) {
  [0]=>
  string(13) "b@example.com"
}
