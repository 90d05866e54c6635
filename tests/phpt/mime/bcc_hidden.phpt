--TEST--
Bcc: the hidden recipient gets a copy, and no header of any copy names it
--EXTENSIONS--
mailparse
--SKIPIF--
<?php require __DIR__ . '/inc/mime.inc'; smtpx_mime_skip(); ?>
--FILE--
<?php
require __DIR__ . '/inc/mime.inc';
$hidden = smtpx_mime_unique('hidden') . '@example.com';
$r = smtpx_send([
    'from' => 'sender@example.com',
    'to' => 'bob@example.com',
    'bcc' => "Hidden Person <$hidden>",
    'subject' => smtpx_mime_unique('bcc'),
    'text' => "Who else got this?\n",
], smtpx_test_transport('submission'));
var_dump($r['accepted'] === ['bob@example.com', $hidden]);
$copies = smtpx_test_fetch_delivered_all($r['message_id'], 2);
$delivered_to = [];
foreach ($copies as $raw) {
    $header = substr($raw, 0, strpos($raw, "\n\n"));
    $mail = smtpx_test_parse_email($raw);
    $delivered_to[] = $mail['headers']['delivered-to'][0];
    // Postfix's own delivery headers name the recipient of a copy; smtpx's never may.
    $added = ['return-path', 'delivered-to', 'x-original-to', 'received'];
    $naming = [];
    foreach ($mail['headers'] as $name => $values) {
        foreach ($values as $value) {
            if (stripos($value, $hidden) !== false && !in_array($name, $added, true)) {
                $naming[] = $name;
            }
        }
    }
    var_dump($mail['bcc'], $naming, stripos($header, 'bcc:'));
    var_dump(smtpx_mime_mailparse($raw)['to'][0]['address']);
}
sort($delivered_to);
var_dump($delivered_to === ['bob@example.com', $hidden]);
?>
--EXPECT--
bool(true)
array(0) {
}
array(0) {
}
bool(false)
string(15) "bob@example.com"
array(0) {
}
array(0) {
}
bool(false)
string(15) "bob@example.com"
bool(true)
