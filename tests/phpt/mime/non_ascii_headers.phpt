--TEST--
Non-ASCII subject and display names (RFC 2047), and names that need quoting, decode equal
--EXTENSIONS--
mailparse
--SKIPIF--
<?php require __DIR__ . '/inc/mime.inc'; smtpx_mime_skip(); ?>
--FILE--
<?php
require __DIR__ . '/inc/mime.inc';
$subject = smtpx_mime_unique("Grüße aus Köln – ✓ 日本語 🎉");
$m = smtpx_mime_roundtrip([
    'from' => 'Zoë Ünïcode <zoe@example.com>',
    'to' => ['"Jürgen \\"Jay\\" Groß" <juergen@example.com>', 'Doe, John <john@example.com>'],
    'cc' => ['Ελένη <eleni@example.com>', 'plain@example.com'],
    'subject' => $subject,
    'text' => "Hi.\n",
]);
foreach (['python', 'mailparse'] as $parser) {
    $mail = $m[$parser];
    echo "$parser:\n";
    var_dump($mail['subject'] === $subject);
    foreach (['from', 'to', 'cc'] as $field) {
        foreach ($mail[$field] as $entry) {
            echo "  $field: ", json_encode($entry, JSON_UNESCAPED_UNICODE), "\n";
        }
    }
}
var_dump($m['python']['defects']);
// Encoded words keep every header line 7-bit (RFC 2047 without SMTPUTF8 in the header block).
var_dump(preg_match('/[\x80-\xff]/', substr($m['raw'], 0, strpos($m['raw'], "\n\n"))));
?>
--EXPECT--
python:
bool(true)
  from: {"name":"Zoë Ünïcode","address":"zoe@example.com"}
  to: {"name":"Jürgen \"Jay\" Groß","address":"juergen@example.com"}
  to: {"name":"Doe, John","address":"john@example.com"}
  cc: {"name":"Ελένη","address":"eleni@example.com"}
  cc: {"name":"","address":"plain@example.com"}
mailparse:
bool(true)
  from: {"name":"Zoë Ünïcode","address":"zoe@example.com"}
  to: {"name":"Jürgen \"Jay\" Groß","address":"juergen@example.com"}
  to: {"name":"Doe, John","address":"john@example.com"}
  cc: {"name":"Ελένη","address":"eleni@example.com"}
  cc: {"name":"","address":"plain@example.com"}
array(0) {
}
int(0)
