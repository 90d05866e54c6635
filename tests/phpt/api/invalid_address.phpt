--TEST--
An invalid address is a ValueError naming its field, e.g. to[1]
--EXTENSIONS--
smtpx
--INI--
pcre.jit=0
--FILE--
<?php
$transport = ['host' => '127.0.0.1', 'port' => 1, 'tls' => 'none'];
$cases = [
    ['from' => 'a@example.com', 'to' => ['b@example.com', 'not an address']],
    ['from' => 'a@example.com', 'to' => 'b@example.com', 'cc' => "c@example.com\r\nBcc: x@example.com"],
    ['from' => 'nobody', 'to' => 'b@example.com'],
    ['from' => 'a@example.com', 'to' => 'b@example.com', 'reply_to' => ['r@example.com', '']],
];
foreach ($cases as $message) {
    try {
        smtpx_send($message, $transport);
        echo "sent\n";
    } catch (ValueError $e) {
        // The field comes first; the core's explanation follows it.
        echo preg_replace('/\) ([^:]+): .*/s', ') $1: ...', $e->getMessage()), "\n";
    }
}
try {
    smtpx_send_raw('a@example.com', ['b@example.com', 'bad'], "Subject: x\r\n\r\nx\r\n", $transport);
} catch (ValueError $e) {
    echo preg_replace('/\) ([^:]+): .*/s', ') $1: ...', $e->getMessage()), "\n";
}
try {
    smtpx_send_raw('bad', ['b@example.com'], "Subject: x\r\n\r\nx\r\n", $transport);
} catch (ValueError $e) {
    echo preg_replace('/\) ([^:]+): .*/s', ') $1: ...', $e->getMessage()), "\n";
}
?>
--EXPECT--
smtpx_send(): Argument #1 ($message) to[1]: ...
smtpx_send(): Argument #1 ($message) cc: ...
smtpx_send(): Argument #1 ($message) from: ...
smtpx_send(): Argument #1 ($message) reply_to[1]: ...
smtpx_send_raw(): Argument #2 ($recipients) recipients[1]: ...
smtpx_send_raw(): Argument #1 ($from) from: ...
