--TEST--
smtpx_send() submits over implicit TLS (port 465 style, RFC 8314) with AUTH
--SKIPIF--
<?php require __DIR__ . '/../inc/harness.inc'; smtpx_test_skip_unless_peers(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$r = smtpx_send(['from' => 'a@example.com', 'to' => 'b@example.com', 'subject' => 'implicit', 'text' => 'x'],
    smtpx_test_transport('implicit'));
var_dump($r['port'], in_array($r['tls'], ['TLSv1.2', 'TLSv1.3'], true), $r['accepted']);
smtpx_test_fetch_delivered($r['message_id']);
echo "delivered\n";
?>
--EXPECT--
int(10465)
bool(true)
array(1) {
  [0]=>
  string(13) "b@example.com"
}
delivered
