--TEST--
Reserved headers (Content-Type, MIME-Version, Content-Transfer-Encoding, Bcc) are refused, naming the header
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
attempt('Content-Type', ['headers' => ['Content-Type' => 'text/plain']] + $base);
attempt('content-type', ['headers' => ['content-type' => 'text/html']] + $base);
attempt('MIME-Version', ['headers' => ['MIME-Version' => '1.0']] + $base);
attempt('Content-Transfer-Encoding', ['headers' => ['Content-Transfer-Encoding' => '8bit']] + $base);
attempt('Bcc', ['headers' => ['Bcc' => 'victim@example.com']] + $base);
attempt('allowed', ['headers' => ['Content-Language' => 'de', 'X-Content-Type' => 'x']] + $base);
?>
--EXPECT--
Content-Type: ValueError: smtpx_compose(): Argument #1 ($message) headers.Content-Type: is set by smtpx from the message's parts
content-type: ValueError: smtpx_compose(): Argument #1 ($message) headers.content-type: is set by smtpx from the message's parts
MIME-Version: ValueError: smtpx_compose(): Argument #1 ($message) headers.MIME-Version: is set by smtpx
Content-Transfer-Encoding: ValueError: smtpx_compose(): Argument #1 ($message) headers.Content-Transfer-Encoding: is set by smtpx from the message's parts
Bcc: ValueError: smtpx_compose(): Argument #1 ($message) headers.Bcc: would show the blind copies to every recipient; use the 'bcc' key
allowed: composed
