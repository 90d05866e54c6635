--TEST--
smtpx_compose() told the server offers 8BITMIME gives the bytes smtpx_send() submits to such a server (Postfix); without it, quoted-printable
--SKIPIF--
<?php require __DIR__ . '/inc/mime.inc'; smtpx_mime_skip(false); ?>
--FILE--
<?php
require __DIR__ . '/inc/mime.inc';
$tag = smtpx_mime_unique('compose-8bit');
$text = "Grüße, café ✓\n";
$message = [
    'from' => 'sender@example.com',
    'to' => 'bob@example.com',
    'subject' => $tag,
    'text' => $text,
    'html' => "<p>Grüße</p>\n",
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

$composed = smtpx_compose($message, ['8bitmime' => true]);
var_dump(str_contains(smtpx_compose($message), 'Content-Transfer-Encoding: quoted-printable'));
smtpx_send($message, smtpx_test_transport('plain'));
$delivered = smtpx_test_fetch_delivered($tag);
$own = substr($delivered, strpos($delivered, "\nDate: ") + 1);
// Both decode to the same text; only the transfer encodings differ.
var_dump(str_replace("\r\n", "\n", smtpx_test_parse_email($composed)["text"]) === $text, smtpx_test_parse_email($own)['text'] === $text);
var_dump(normalized($composed) === normalized($own));
?>
--EXPECT--
bool(true)
bool(true)
bool(true)
bool(true)
