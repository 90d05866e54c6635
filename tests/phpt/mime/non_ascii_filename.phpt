--TEST--
A non-ASCII attachment file name decodes equal in both parsers
--EXTENSIONS--
mailparse
--SKIPIF--
<?php require __DIR__ . '/inc/mime.inc'; smtpx_mime_skip(); ?>
--FILE--
<?php
require __DIR__ . '/inc/mime.inc';
$name = 'Überweisung März – 日本 ✓ ' . str_repeat('é', 40) . '.pdf';
$data = random_bytes(2000);
$m = smtpx_mime_roundtrip([
    'from' => 'sender@example.com',
    'to' => 'bob@example.com',
    'subject' => smtpx_mime_unique('file name'),
    'text' => "A file.\n",
    'attachments' => [['data' => $data, 'name' => $name]],
]);
foreach (['python', 'mailparse'] as $parser) {
    $a = $m[$parser]['attachments'][0];
    var_dump($a['name'] === $name, $a['type'], $a['sha256'] === hash('sha256', $data));
}
var_dump($m['python']['defects'], $m['python']['max_line_length'] <= 998);
?>
--EXPECT--
bool(true)
string(15) "application/pdf"
bool(true)
bool(true)
string(15) "application/pdf"
bool(true)
array(0) {
}
bool(true)
