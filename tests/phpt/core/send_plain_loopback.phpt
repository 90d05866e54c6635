--TEST--
tls => 'none' to a loopback server sends in clear text only because the caller chose it
--SKIPIF--
<?php require __DIR__ . '/../inc/harness.inc'; smtpx_test_skip_unless_peers(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$r = smtpx_send(['from' => 'a@example.com', 'to' => 'b@example.com', 'subject' => 'plain', 'html' => '<p>hi</p>'],
    smtpx_test_transport('plain'));
var_dump($r['port'], $r['tls']);
$mail = smtpx_test_parse_email(smtpx_test_fetch_delivered($r['message_id']));
var_dump(trim($mail['html']));
try {
    // The same server without tls => 'none': no STARTTLS offered, so nothing is sent.
    smtpx_send(['from' => 'a@example.com', 'to' => 'b@example.com', 'text' => 'x'],
        ['tls' => 'required'] + smtpx_test_transport('plain'));
} catch (Smtpx\TlsException $e) {
    var_dump($e->getPhase(), str_contains($e->getMessage(), 'does not offer STARTTLS'));
}
?>
--EXPECT--
int(10025)
NULL
string(9) "<p>hi</p>"
string(3) "tls"
bool(true)
