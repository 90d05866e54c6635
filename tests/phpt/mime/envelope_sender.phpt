--TEST--
sender and return_path set the envelope sender: Postfix's Return-Path equals it, From is unchanged
--EXTENSIONS--
mailparse
--SKIPIF--
<?php require __DIR__ . '/inc/mime.inc'; smtpx_mime_skip(); ?>
--FILE--
<?php
require __DIR__ . '/inc/mime.inc';
foreach (['sender', 'return_path'] as $key) {
    $bounces = smtpx_mime_unique("bounces-$key") . '@example.com';
    $m = smtpx_mime_roundtrip([
        'from' => 'Newsletter <news@example.com>',
        'to' => 'bob@example.com',
        $key => $bounces,
        'subject' => smtpx_mime_unique('envelope'),
        'text' => "Bounces go elsewhere.\n",
    ]);
    var_dump($m['python']['headers']['return-path'] === ["<$bounces>"]);
    var_dump($m['mailparse']['headers']['return-path'] === "<$bounces>");
    var_dump($m['python']['from'][0]['address'], isset($m['python']['headers']['sender']));
}
?>
--EXPECT--
bool(true)
bool(true)
string(16) "news@example.com"
bool(false)
bool(true)
bool(true)
string(16) "news@example.com"
bool(false)
