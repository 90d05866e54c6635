--TEST--
Invalid UTF-8 where UTF-8 is declared (text, html, subject, file name) is refused, naming the field
--SKIPIF--
<?php if (!extension_loaded('smtpx')) die('skip smtpx not built'); ?>
--FILE--
<?php
$base = ['from' => 'a@example.com', 'to' => 'b@example.com', 'subject' => 'ok', 'text' => "ok\n"];
function attempt(string $case, array $message): void
{
    try {
        smtpx_compose($message);
        echo "$case: composed\n";
    } catch (Throwable $e) {
        echo "$case: ", get_class($e), ': ', $e->getMessage(), "\n";
    }
}
attempt('text Latin-1', ['text' => "caf\xe9\n"] + $base);
attempt('text overlong', ['text' => "\xc0\xaf\n"] + $base);
attempt('text surrogate', ['text' => "\xed\xa0\x80\n"] + $base);
attempt('text cut sequence', ['text' => "\xe2\x9c\n"] + $base);
attempt('html truncated', ['html' => "<p>\xc3</p>"] + $base);
attempt('subject', ['subject' => "\xff"] + $base);
attempt('file name', ['attachments' => [['data' => 'x', 'name' => "\xff.txt"]]] + $base);
attempt('valid 4-byte', ['text' => "🎉\n"] + $base);
?>
--EXPECT--
text Latin-1: ValueError: smtpx_compose(): Argument #1 ($message) text: is not valid UTF-8, but the message charset is UTF-8
text overlong: ValueError: smtpx_compose(): Argument #1 ($message) text: is not valid UTF-8, but the message charset is UTF-8
text surrogate: ValueError: smtpx_compose(): Argument #1 ($message) text: is not valid UTF-8, but the message charset is UTF-8
text cut sequence: ValueError: smtpx_compose(): Argument #1 ($message) text: is not valid UTF-8, but the message charset is UTF-8
html truncated: ValueError: smtpx_compose(): Argument #1 ($message) html: is not valid UTF-8, but the message charset is UTF-8
subject: ValueError: smtpx_compose(): Argument #1 ($message) subject: is not valid UTF-8, but the message charset is UTF-8
file name: ValueError: smtpx_compose(): Argument #1 ($message) attachments[0].name: is not valid UTF-8, but the message charset is UTF-8
valid 4-byte: composed
