--TEST--
Inline image referenced by cid: in the HTML: multipart/related inside multipart/alternative
--EXTENSIONS--
mailparse
--SKIPIF--
<?php require __DIR__ . '/inc/mime.inc'; smtpx_mime_skip(); ?>
--FILE--
<?php
require __DIR__ . '/inc/mime.inc';
$png = base64_decode('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==') . random_bytes(500);
$text = "Our logo is in the HTML version.\n";
$html = "<p>Logo: <img src=\"cid:logo.1@example.com\" alt=\"logo\"></p>\n";
$m = smtpx_mime_roundtrip([
    'from' => 'sender@example.com',
    'to' => 'bob@example.com',
    'subject' => smtpx_mime_unique('related'),
    'text' => $text,
    'html' => $html,
    'attachments' => [['data' => $png, 'name' => 'logo.png', 'inline' => 'logo.1@example.com']],
]);
$py = $m['python'];
$mp = $m['mailparse'];
var_dump($py['text'] === $text, $py['html'] === $html, $py['defects'], $mp['structure']);
var_dump($mp['text'] === $text, $mp['html'] === $html);
$expected = [['logo.png', 'image/png', 'inline', 'logo.1@example.com', strlen($png), hash('sha256', $png)]];
foreach (['python' => $py, 'mailparse' => $mp] as $parser => $mail) {
    $got = array_map(static fn (array $a): array => [$a['name'], $a['type'], $a['disposition'], $a['content_id'], $a['size'], $a['sha256']], $mail['attachments']);
    echo $parser, ': ', $got === $expected ? 'inline image equal' : 'DIFFERENT ' . json_encode($got), "\n";
}
?>
--EXPECT--
bool(true)
bool(true)
array(0) {
}
array(5) {
  [0]=>
  string(23) "1 multipart/alternative"
  [1]=>
  string(14) "1.1 text/plain"
  [2]=>
  string(21) "1.2 multipart/related"
  [3]=>
  string(15) "1.2.1 text/html"
  [4]=>
  string(15) "1.2.2 image/png"
}
bool(true)
bool(true)
python: inline image equal
mailparse: inline image equal
