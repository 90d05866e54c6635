--TEST--
A message without any recipient, or without a from, is refused before connecting
--EXTENSIONS--
smtpx
--INI--
pcre.jit=0
--FILE--
<?php
$transport = ['host' => '127.0.0.1', 'port' => 1, 'tls' => 'none'];
$cases = [
    ['from' => 'a@example.com', 'subject' => 'x', 'text' => 'x'],
    ['from' => 'a@example.com', 'to' => [], 'cc' => null],
    ['to' => 'b@example.com'],
];
foreach ($cases as $message) {
    try {
        smtpx_send($message, $transport);
    } catch (ValueError $e) {
        echo $e->getMessage(), "\n";
    }
}
try {
    smtpx_send_raw('a@example.com', [], "Subject: x\r\n\r\nx\r\n", $transport);
} catch (ValueError $e) {
    echo preg_replace('/\) ([^:]+): .*/s', ') $1: ...', $e->getMessage()), "\n";
}
?>
--EXPECT--
smtpx_send(): Argument #1 ($message) needs at least one recipient in "to", "cc" or "bcc"
smtpx_send(): Argument #1 ($message) needs at least one recipient in "to", "cc" or "bcc"
smtpx_send(): Argument #1 ($message) needs a "from" key: the author's address
smtpx_send_raw(): Argument #2 ($recipients) recipients: ...
