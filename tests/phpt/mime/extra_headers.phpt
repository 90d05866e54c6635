--TEST--
Extra headers, List-Unsubscribe and List-Unsubscribe-Post (RFC 8058) among them, arrive as given
--EXTENSIONS--
mailparse
--SKIPIF--
<?php require __DIR__ . '/inc/mime.inc'; smtpx_mime_skip(); ?>
--FILE--
<?php
require __DIR__ . '/inc/mime.inc';
$unsubscribe = '<mailto:unsubscribe@example.com?subject=unsubscribe>, <https://example.com/unsubscribe/opaque-123>';
$m = smtpx_mime_roundtrip([
    'from' => 'news@example.com',
    'to' => 'bob@example.com',
    'subject' => smtpx_mime_unique('extra headers'),
    'text' => "News.\n",
    'headers' => [
        'List-Unsubscribe' => $unsubscribe,
        'List-Unsubscribe-Post' => 'List-Unsubscribe=One-Click',
        'X-Campaign' => 'spring-2026',
        'X-Tag' => ['first', 'second'],
        'X-Greeting' => 'Grüße',
    ],
]);
$py = $m['python']['headers'];
$mp = $m['mailparse']['headers'];
var_dump($py['list-unsubscribe'] === [$unsubscribe], $mp['list-unsubscribe'] === $unsubscribe);
var_dump($py['list-unsubscribe-post'], $mp['list-unsubscribe-post']);
var_dump($py['x-campaign'], $py['x-tag'], $mp['x-tag']);
var_dump($py['x-greeting'], smtpx_mime_decode_words($mp['x-greeting']));
var_dump($m['python']['defects']);
?>
--EXPECT--
bool(true)
bool(true)
array(1) {
  [0]=>
  string(26) "List-Unsubscribe=One-Click"
}
string(26) "List-Unsubscribe=One-Click"
array(1) {
  [0]=>
  string(11) "spring-2026"
}
array(2) {
  [0]=>
  string(5) "first"
  [1]=>
  string(6) "second"
}
array(2) {
  [0]=>
  string(5) "first"
  [1]=>
  string(6) "second"
}
array(1) {
  [0]=>
  string(7) "Grüße"
}
string(7) "Grüße"
array(0) {
}
