--TEST--
smtpx_compose() returns the bytes smtpx_send() submits (7-bit bodies): equal to the delivered copy but for Date, Message-ID and boundaries
--SKIPIF--
<?php require __DIR__ . '/inc/mime.inc'; smtpx_mime_skip(false); ?>
--FILE--
<?php
require __DIR__ . '/inc/mime.inc';
$tag = smtpx_mime_unique('compose');
$message = [
    'from' => 'Zoë <zoe@example.com>',
    'to' => ['bob@example.com', 'Doe, John <john@example.com>'],
    'cc' => 'carol@example.com',
    'reply_to' => 'replies@example.com',
    'subject' => "Compose check – $tag " . str_repeat('ünïcødé ', 12),
    // 7-bit bodies: with 8BITMIME offered, smtpx_send() may send non-ASCII text as 8bit where
    // smtpx_compose(), which knows no server, writes quoted-printable (compose_8bitmime.phpt).
    'text' => "Plain text\n" . str_repeat('x', 70) . "\n.leading dot\nFrom the start\n",
    'html' => "<p>HTML <img src=\"cid:dot@example.com\"></p>\n",
    'attachments' => [
        ['data' => random_bytes(5000), 'name' => 'data.bin'],
        ['data' => "GIF89a" . random_bytes(100), 'name' => 'dot.gif', 'inline' => 'dot@example.com'],
    ],
    'headers' => ['X-Test' => $tag, 'List-Unsubscribe' => '<mailto:u@example.com>'],
];

/** Date and Message-ID values and each boundary replaced by a placeholder, lines ending in LF. */
function normalized(string $mime): string
{
    $mime = str_replace("\r\n", "\n", $mime);
    preg_match_all('/boundary="([^"]+)"/', $mime, $boundaries);
    foreach ($boundaries[1] as $i => $boundary) {
        $mime = str_replace($boundary, "BOUNDARY-$i", $mime);
    }
    $mime = preg_replace('/^Date: .*$/m', 'Date: DATE', $mime);
    return preg_replace('/^Message-ID: <[^>]+>$/m', 'Message-ID: <ID>', $mime);
}

$composed = smtpx_compose($message);
$r = smtpx_send($message, smtpx_test_transport('plain'));
$delivered = smtpx_test_fetch_delivered($tag);
// Postfix's local delivery puts Return-Path, Delivered-To and Received above the message.
$own = substr($delivered, strpos($delivered, "\nDate: ") + 1);

$parsed = smtpx_test_parse_email($composed);
var_dump($parsed['raw_has_bare_lf'], $parsed['raw_has_bare_cr'], $parsed['defects']);
var_dump(substr_count($composed, "\r\n") === substr_count($composed, "\n"));
var_dump(normalized($composed) === normalized($own));
var_dump(strpos($own, "Message-ID: {$r['message_id']}\n") !== false || strpos($own, "Message-ID: <{$r['message_id']}>\n") !== false);
var_dump(strlen(normalized($composed)) > 7000);
?>
--EXPECT--
bool(false)
bool(false)
array(0) {
}
bool(true)
bool(true)
bool(true)
bool(true)
