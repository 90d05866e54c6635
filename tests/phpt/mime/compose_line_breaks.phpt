--TEST--
CR, LF or NUL in header values, display names and file names: ValueError naming the field
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
attempt('subject CRLF', ['subject' => "hi\r\nBcc: victim@example.com"] + $base);
attempt('subject LF', ['subject' => "hi\nX-Injected: 1"] + $base);
attempt('subject NUL', ['subject' => "hi\0there"] + $base);
attempt('header value CR', ['headers' => ['X-Note' => "a\rb"]] + $base);
attempt('header list value LF', ['headers' => ['X-Tag' => ['fine', "a\nb"]]] + $base);
attempt('header name colon', ['headers' => ['X-A:B' => 'v']] + $base);
attempt('header name space', ['headers' => ['X A' => 'v']] + $base);
attempt('from display name', ['from' => "Evil\r\nBcc: victim@example.com <a@example.com>"] + $base);
attempt('to display name NUL', ['to' => ["Bo\0b <b@example.com>"]] + $base);
attempt('file name CRLF', ['attachments' => [['data' => 'x', 'name' => "a\r\nb.txt"]]] + $base);
attempt('file name NUL', ['attachments' => [['data' => 'x', 'name' => "a\0.txt"]]] + $base);
attempt('type CRLF', ['attachments' => [['data' => 'x', 'name' => 'a.txt', 'type' => "text/plain\r\nX: y"]]] + $base);
attempt('content id CRLF', ['attachments' => [['data' => 'x', 'name' => 'a.png', 'inline' => "a\r\nb"]]] + $base);
?>
--EXPECT--
subject CRLF: ValueError: smtpx_compose(): Argument #1 ($message) subject: must not contain CR, LF or NUL characters
subject LF: ValueError: smtpx_compose(): Argument #1 ($message) subject: must not contain CR, LF or NUL characters
subject NUL: ValueError: smtpx_compose(): Argument #1 ($message) subject: must not contain CR, LF or NUL characters
header value CR: ValueError: smtpx_compose(): Argument #1 ($message) headers.X-Note: must not contain CR, LF or NUL characters
header list value LF: ValueError: smtpx_compose(): Argument #1 ($message) headers.X-Tag: must not contain CR, LF or NUL characters
header name colon: ValueError: smtpx_compose(): Argument #1 ($message) headers.X-A:B: is not a header name (RFC 5322 2.2: printable ASCII without ':')
header name space: ValueError: smtpx_compose(): Argument #1 ($message) headers.X A: is not a header name (RFC 5322 2.2: printable ASCII without ':')
from display name: ValueError: smtpx_compose(): Argument #1 ($message) from: contains a line break (CR or LF); a mailbox is one line of text
to display name NUL: ValueError: smtpx_compose(): Argument #1 ($message) to[0]: contains a NUL byte
file name CRLF: ValueError: smtpx_compose(): Argument #1 ($message) attachments[0].name: must not contain CR, LF or NUL characters
file name NUL: ValueError: smtpx_compose(): Argument #1 ($message) attachments[0].name: must not contain CR, LF or NUL characters
type CRLF: ValueError: smtpx_compose(): Argument #1 ($message) attachments[0].type: must not contain CR, LF or NUL characters
content id CRLF: ValueError: smtpx_compose(): Argument #1 ($message) attachments[0].inline: is not a content id: use printable ASCII without spaces or angle brackets
