--TEST--
Text only: a single text/plain part, read back equal by Python's email and by mailparse
--EXTENSIONS--
mailparse
--SKIPIF--
<?php require __DIR__ . '/inc/mime.inc'; smtpx_mime_skip(); ?>
--FILE--
<?php
require __DIR__ . '/inc/mime.inc';
$text = "Plain words.\nA second line with ümlauts and a long one: " . str_repeat('0123456789', 12) . "\n";
$m = smtpx_mime_roundtrip([
    'from' => 'sender@example.com',
    'to' => 'bob@example.com',
    'subject' => smtpx_mime_unique('text only'),
    'text' => $text,
]);
$py = $m['python'];
$mp = $m['mailparse'];
var_dump($py['text'] === $text, $py['html'], $py['attachments'], $py['defects']);
var_dump($mp['structure'], $mp['text'] === $text, $mp['html']);
var_dump($py['headers']['mime-version'], $mp['headers']['content-type'], $mp['headers']['content-transfer-encoding']);
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
  string(12) "1 text/plain"
}
bool(true)
NULL
array(1) {
  [0]=>
  string(3) "1.0"
}
string(25) "text/plain; charset=UTF-8"
string(4) "8bit"
