--TEST--
smtpx_send() submits over STARTTLS with AUTH to Postfix, and the message arrives intact
--SKIPIF--
<?php require __DIR__ . '/../inc/harness.inc'; smtpx_test_skip_unless_peers(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$r = smtpx_send([
    'from' => 'Zoë Ünïcode <zoe@example.com>',
    'to' => ['bob@example.com', 'Carol <carol@example.com>'],
    'subject' => 'Grüße aus Köln – ✓',
    'text' => "Hello Bob,\nline two\n",
], smtpx_test_transport('submission'));
var_dump(array_diff(['message_id', 'accepted', 'rejected', 'reply', 'host', 'port', 'tls', 'reused', 'seconds'], array_keys($r)));
var_dump($r['port'], $r['reused'], $r['accepted'], $r['rejected']);
var_dump(in_array($r['tls'], ['TLSv1.2', 'TLSv1.3'], true));
var_dump((bool) preg_match('/^250 2\.0\.0 Ok/', $r['reply']));
var_dump(is_float($r['seconds']) && $r['seconds'] > 0);
$mail = smtpx_test_parse_email(smtpx_test_fetch_delivered($r['message_id']));
var_dump($mail['subject'], $mail['from'][0]['name'], $mail['to'][1], $mail['text']);
?>
--EXPECT--
array(0) {
}
int(10587)
bool(false)
array(2) {
  [0]=>
  string(15) "bob@example.com"
  [1]=>
  string(17) "carol@example.com"
}
array(0) {
}
bool(true)
bool(true)
bool(true)
string(25) "Grüße aus Köln – ✓"
string(14) "Zoë Ünïcode"
array(2) {
  ["name"]=>
  string(5) "Carol"
  ["address"]=>
  string(17) "carol@example.com"
}
string(20) "Hello Bob,
line two
"
