--TEST--
Attachments from a path and from data: multipart/mixed, decoded bytes equal the originals (sha256)
--EXTENSIONS--
mailparse
--SKIPIF--
<?php require __DIR__ . '/inc/mime.inc'; smtpx_mime_skip(); ?>
--FILE--
<?php
require __DIR__ . '/inc/mime.inc';
$dir = sys_get_temp_dir() . '/' . smtpx_mime_unique('smtpx-mime');
mkdir($dir);
$path = "$dir/report.pdf";
$pdf = "%PDF-1.4\n" . random_bytes(70000) . "\r\n\0trailing";
file_put_contents($path, $pdf);
$csv = "a,b\r\n1,2\r\n" . random_bytes(3001);
$text = "See the attachments.\n";
$m = smtpx_mime_roundtrip([
    'from' => 'sender@example.com',
    'to' => 'bob@example.com',
    'subject' => smtpx_mime_unique('mixed'),
    'text' => $text,
    'attachments' => [
        $path,
        ['data' => $csv, 'name' => 'numbers.csv'],
        ['data' => 'no type known', 'name' => 'blob.zzq'],
        ['data' => '{}', 'name' => 'given.bin', 'type' => 'application/json'],
    ],
]);
unlink($path);
rmdir($dir);
$py = $m['python'];
$mp = $m['mailparse'];
var_dump($py['text'] === $text, $py['defects'], $mp['structure'], $mp['text'] === $text);
$expected = [
    ['report.pdf', 'application/pdf', 'attachment', strlen($pdf), hash('sha256', $pdf)],
    ['numbers.csv', 'text/csv', 'attachment', strlen($csv), hash('sha256', $csv)],
    ['blob.zzq', 'application/octet-stream', 'attachment', 13, hash('sha256', 'no type known')],
    ['given.bin', 'application/json', 'attachment', 2, hash('sha256', '{}')],
];
foreach (['python' => $py, 'mailparse' => $mp] as $parser => $mail) {
    $got = array_map(static fn (array $a): array => [$a['name'], $a['type'], $a['disposition'], $a['size'], $a['sha256']], $mail['attachments']);
    echo $parser, ': ', $got === $expected ? 'attachments equal' : 'DIFFERENT ' . json_encode($got), "\n";
}
?>
--EXPECT--
bool(true)
array(0) {
}
array(6) {
  [0]=>
  string(17) "1 multipart/mixed"
  [1]=>
  string(14) "1.1 text/plain"
  [2]=>
  string(19) "1.2 application/pdf"
  [3]=>
  string(12) "1.3 text/csv"
  [4]=>
  string(28) "1.4 application/octet-stream"
  [5]=>
  string(20) "1.5 application/json"
}
bool(true)
python: attachments equal
mailparse: attachments equal
