--TEST--
HTML only: a single text/html part, read back equal by both parsers
--EXTENSIONS--
mailparse
--SKIPIF--
<?php require __DIR__ . '/inc/mime.inc'; smtpx_mime_skip(); ?>
--FILE--
<?php
require __DIR__ . '/inc/mime.inc';
$html = "<!doctype html>\n<p>Caf\u{e9} <b>bold</b> &amp; more</p>\n";
$m = smtpx_mime_roundtrip([
    'from' => 'sender@example.com',
    'to' => 'bob@example.com',
    'subject' => smtpx_mime_unique('html only'),
    'html' => $html,
]);
$py = $m['python'];
$mp = $m['mailparse'];
var_dump($py['html'] === $html, $py['text'], $py['attachments'], $py['defects']);
var_dump($mp['structure'], $mp['html'] === $html, $mp['text']);
var_dump($mp['headers']['content-type']);
?>
--EXPECT--
bool(true)
NULL
array(0) {
}
array(0) {
}
array(1) {
  [0]=>
  string(11) "1 text/html"
}
bool(true)
NULL
string(24) "text/html; charset=UTF-8"
