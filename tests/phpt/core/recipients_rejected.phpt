--TEST--
Refused recipients are reported one by one; the message goes to the others; all refused is a RejectedException
--SKIPIF--
<?php require __DIR__ . '/../inc/harness.inc'; smtpx_test_skip_unless_peers(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$t = smtpx_test_transport('submission');
$r = smtpx_send(['from' => 'a@example.com', 'to' => ['ok@example.com', 'reject-me@example.com'],
                 'bcc' => 'hidden@example.com', 'subject' => 'partial', 'text' => 'x'], $t);
var_dump($r['accepted']);
var_dump(array_keys($r['rejected']), str_starts_with($r['rejected']['reject-me@example.com'], '550 5.1.1'));
$mail = smtpx_test_parse_email(smtpx_test_fetch_delivered($r['message_id']));
var_dump(isset($mail['headers']['bcc']));
try {
    smtpx_send(['from' => 'a@example.com', 'to' => ['reject-a@example.com', 'reject-b@example.com'], 'text' => 'x'], $t);
} catch (Smtpx\RejectedException $e) {
    var_dump($e->getPhase(), $e->getSmtpCode(), $e->getEnhancedStatus(), $e->isTransient());
    var_dump(array_keys($e->getRejected()));
}
try {
    smtpx_send(['from' => 'a@example.com', 'to' => 'tempfail@example.com', 'text' => 'x'], $t);
} catch (Smtpx\RejectedException $e) {
    var_dump($e->getSmtpCode(), $e->isTransient());
}
?>
--EXPECT--
array(2) {
  [0]=>
  string(14) "ok@example.com"
  [1]=>
  string(18) "hidden@example.com"
}
array(1) {
  [0]=>
  string(21) "reject-me@example.com"
}
bool(true)
bool(false)
string(4) "rcpt"
int(550)
string(5) "5.1.1"
bool(false)
array(2) {
  [0]=>
  string(20) "reject-a@example.com"
  [1]=>
  string(20) "reject-b@example.com"
}
int(450)
bool(true)
