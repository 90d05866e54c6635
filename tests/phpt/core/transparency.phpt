--TEST--
Dot-stuffing and line endings: lone dots, bare LF and bare CR arrive as lines of the message, never as SMTP commands
--SKIPIF--
<?php require __DIR__ . '/../inc/harness.inc'; smtpx_test_skip_unless_peers(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$id = 'smuggle-' . bin2hex(random_bytes(6));
$raw = "From: a@example.com\r\nTo: b@example.com\r\nSubject: smuggle\r\nMessage-ID: <$id@example.com>\r\n\r\n"
     . "line1\n.\nMAIL FROM:<evil@example.com>\r\n.\r\nrest\rend\n..double\n";
$expected = "line1\r\n.\r\nMAIL FROM:<evil@example.com>\r\n.\r\nrest\r\nend\r\n..double\r\n";

// DATA (aiosmtpd has no CHUNKING): dot-stuffed on the wire, unstuffed by the server.
$server = smtpx_test_start_aiosmtpd();
$r = smtpx_send_raw('a@example.com', ['b@example.com'], $raw,
    ['host' => '127.0.0.1', 'port' => $server['port'], 'tls' => 'none', 'timeout' => 5]);
$files = glob($server['dir'] . '/*.eml');
$received = file_get_contents($files[0]);
var_dump(count($files), substr($received, strpos($received, "\r\n\r\n") + 4) === $expected);
var_dump(preg_match('/(?<!\r)\n|\r(?!\n)/', $received));

// BDAT (Postfix): no stuffing; the same lines arrive.
$r = smtpx_send_raw('a@example.com', ['b@example.com'], $raw, smtpx_test_transport('submission', ['debug' => true]));
var_dump(str_contains($r['transcript'], 'BDAT'), $r['accepted']);
$mail = smtpx_test_parse_email(smtpx_test_fetch_delivered($id));
var_dump($mail['text'] === str_replace("\r\n", "\n", $expected));
?>
--EXPECT--
int(1)
bool(true)
int(0)
bool(true)
array(1) {
  [0]=>
  string(13) "b@example.com"
}
bool(true)
