--TEST--
Text and HTML: multipart/alternative, plain first (RFC 2046 5.1.4), both read back equal
--EXTENSIONS--
mailparse
--SKIPIF--
<?php require __DIR__ . '/inc/mime.inc'; smtpx_mime_skip(); ?>
--FILE--
<?php
require __DIR__ . '/inc/mime.inc';
$text = "Hello in plain, caf\u{e9}.\n";
$html = "<p>Hello in <i>HTML</i>, caf\u{e9}.</p>\n";
$m = smtpx_mime_roundtrip([
    'from' => 'sender@example.com',
    'to' => 'bob@example.com',
    'subject' => smtpx_mime_unique('alternative'),
    'text' => $text,
    'html' => $html,
]);
$py = $m['python'];
$mp = $m['mailparse'];
var_dump($py['text'] === $text, $py['html'] === $html, $py['attachments'], $py['defects']);
var_dump($mp['structure'], $mp['text'] === $text, $mp['html'] === $html, $mp['attachments']);
?>
--EXPECT--
bool(true)
bool(true)
array(0) {
}
array(0) {
}
array(3) {
  [0]=>
  string(23) "1 multipart/alternative"
  [1]=>
  string(14) "1.1 text/plain"
  [2]=>
  string(13) "1.2 text/html"
}
bool(true)
bool(true)
array(0) {
}
