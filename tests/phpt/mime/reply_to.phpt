--TEST--
reply_to becomes the Reply-To header, decoded equal by both parsers
--EXTENSIONS--
mailparse
--SKIPIF--
<?php require __DIR__ . '/inc/mime.inc'; smtpx_mime_skip(); ?>
--FILE--
<?php
require __DIR__ . '/inc/mime.inc';
$m = smtpx_mime_roundtrip([
    'from' => 'noreply@example.com',
    'to' => 'bob@example.com',
    'reply_to' => ['Sälès Team <sales@example.com>', 'support@example.com'],
    'subject' => smtpx_mime_unique('reply to'),
    'text' => "Answer us.\n",
]);
foreach (['python', 'mailparse'] as $parser) {
    echo $parser, ': ', json_encode($m[$parser]['reply_to'], JSON_UNESCAPED_UNICODE), "\n";
}
var_dump($m['python']['from']);
?>
--EXPECT--
python: [{"name":"Sälès Team","address":"sales@example.com"},{"name":"","address":"support@example.com"}]
mailparse: [{"name":"Sälès Team","address":"sales@example.com"},{"name":"","address":"support@example.com"}]
array(1) {
  [0]=>
  array(2) {
    ["name"]=>
    string(0) ""
    ["address"]=>
    string(19) "noreply@example.com"
  }
}
