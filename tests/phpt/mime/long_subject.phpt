--TEST--
A long subject is folded (lines of at most 78 octets, none over 998) and decodes equal
--EXTENSIONS--
mailparse
--SKIPIF--
<?php require __DIR__ . '/inc/mime.inc'; smtpx_mime_skip(); ?>
--FILE--
<?php
require __DIR__ . '/inc/mime.inc';
$words = [];
for ($i = 0; $i < 40; $i++) {
    $words[] = $i % 3 === 0 ? "wörd$i" : ($i % 3 === 1 ? "word$i" : "語{$i}✓");
}
$subject = smtpx_mime_unique(implode(' ', $words));
$m = smtpx_mime_roundtrip([
    'from' => 'sender@example.com',
    'to' => 'bob@example.com',
    'subject' => $subject,
    'text' => "Long subject.\n",
]);
var_dump(strlen($subject) > 300);
var_dump($m['python']['subject'] === $subject, $m['mailparse']['subject'] === $subject);
var_dump($m['python']['defects'], $m['python']['max_line_length'] <= 998);
// The Subject field as delivered: its first line and the continuation lines after it.
preg_match('/^Subject:.*\n(?:[ \t].*\n)*/mi', $m['raw'], $field);
$lines = explode("\n", rtrim($field[0], "\n"));
var_dump(count($lines) > 1, max(array_map('strlen', $lines)) <= 78);
?>
--EXPECT--
bool(true)
bool(true)
bool(true)
array(0) {
}
bool(true)
bool(true)
bool(true)
