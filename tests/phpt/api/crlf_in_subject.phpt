--TEST--
CR, LF or NUL in the subject or a header value is a ValueError naming the field, and nothing is sent
--EXTENSIONS--
smtpx
--INI--
pcre.jit=0
--FILE--
<?php
// If the message were not checked before connecting, this would be a
// ConnectException: nothing listens on port 1.
$transport = ['host' => '127.0.0.1', 'port' => 1, 'tls' => 'none'];
$base = ['from' => 'a@example.com', 'to' => 'b@example.com', 'text' => 'x'];
foreach ([
    ['subject' => "Hello\r\nBcc: victim@example.com"],
    ['subject' => "Hello\nthere"],
    ['subject' => "Hello\0"],
    ['headers' => ['X-Tag' => "one\r\nBcc: victim@example.com"]],
    ['headers' => ["X-Tag\r\nBcc" => 'one']],
] as $extra) {
    try {
        smtpx_send($base + $extra, $transport);
        echo "sent\n";
    } catch (ValueError $e) {
        echo addcslashes(preg_replace('/\) ([^:]+): .*/s', ') $1: ...', $e->getMessage()), "\0..\37"), "\n";
    } catch (Smtpx\Exception $e) {
        echo get_class($e), " (the message was not checked first)\n";
    }
}
try {
    smtpx_compose($base + ['subject' => "Hello\r\nBcc: victim@example.com"]);
} catch (ValueError $e) {
    echo preg_replace('/\) ([^:]+): .*/s', ') $1: ...', $e->getMessage()), "\n";
}
?>
--EXPECT--
smtpx_send(): Argument #1 ($message) subject: ...
smtpx_send(): Argument #1 ($message) subject: ...
smtpx_send(): Argument #1 ($message) subject: ...
smtpx_send(): Argument #1 ($message) headers.X-Tag: ...
smtpx_send(): Argument #1 ($message) headers.X-Tag\r\nBcc: ...
smtpx_compose(): Argument #1 ($message) subject: ...
