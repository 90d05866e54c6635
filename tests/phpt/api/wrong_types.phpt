--TEST--
A value of the wrong type is a TypeError naming the field
--EXTENSIONS--
smtpx
--FILE--
<?php
$message = ['from' => 'a@example.com', 'to' => 'b@example.com'];
$transport = ['host' => '127.0.0.1', 'port' => 1, 'tls' => 'none'];
$calls = [
    fn() => smtpx_send($message + ['subject' => 42], $transport),
    fn() => smtpx_send(['from' => 'a@example.com', 'to' => ['b@example.com', 7]], $transport),
    fn() => smtpx_send($message + ['headers' => ['X-Tag' => ['a', 1.5]]], $transport),
    fn() => smtpx_send($message + ['attachments' => 'file.txt'], $transport),
    fn() => smtpx_send($message, ['host' => '127.0.0.1', 'tls_verify' => 'no']),
    fn() => smtpx_send($message, ['host' => '127.0.0.1', 'timeout' => '10']),
    fn() => smtpx_send_raw('a@example.com', ['b@example.com', null], "x\r\n", $transport),
];
foreach ($calls as $call) {
    try {
        $call();
        echo "sent\n";
    } catch (TypeError $e) {
        echo $e->getMessage(), "\n";
    }
}
?>
--EXPECT--
smtpx_send(): Argument #1 ($message) subject: must be of type string, int given
smtpx_send(): Argument #1 ($message) to[1]: must be of type string, int given
smtpx_send(): Argument #1 ($message) headers.X-Tag[1]: must be of type string|int, float given
smtpx_send(): Argument #1 ($message) attachments: must be of type array, string given
smtpx_send(): Argument #2 ($transport) transport.tls_verify: must be of type bool, string given
smtpx_send(): Argument #2 ($transport) transport.timeout: must be of type float, string given
smtpx_send_raw(): Argument #2 ($recipients) recipients[1]: must be of type string, null given
