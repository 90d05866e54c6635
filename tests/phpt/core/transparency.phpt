--TEST--
Dot-stuffing and line endings: lone dots, bare LF and bare CR in the body arrive as written, and no bare LF reaches the server
--SKIPIF--
<?php require __DIR__ . '/../inc/harness.inc'; smtpx_test_skip_unless_peers(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$raw = "From: a@example.com\r\nTo: b@example.com\r\nSubject: smuggle\r\nMessage-ID: <smuggle-" . getmypid() . "@example.com>\r\n\r\n"
     . "line1\n.\nMAIL FROM:<evil@example.com>\r\n.\r\nrest\rend\n..double\n";
$r = smtpx_send_raw('a@example.com', ['b@example.com'], $raw, smtpx_test_transport('submission'));
var_dump($r['accepted'], $r['message_id']);
$delivered = smtpx_test_fetch_delivered('smuggle-' . getmypid());
$mail = smtpx_test_parse_email($delivered);
var_dump($mail['raw_has_bare_lf']);
echo str_replace("\r\n", "\n", $mail['text']);
// Only one message was delivered: the "MAIL FROM" line is content, not a second transaction.
var_dump(count(smtpx_test_fetch_all('evil@example.com')));
?>
--EXPECT--
array(1) {
  [0]=>
  string(13) "b@example.com"
}
string(0) ""
bool(false)
line1
.
MAIL FROM:<evil@example.com>
.
rest
end
..double
int(1)
