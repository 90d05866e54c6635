--TEST--
smtpx_send() and Smtpx\Client refuse an unknown transport key, naming it
--EXTENSIONS--
smtpx
--FILE--
<?php
$message = ['from' => 'a@example.com', 'to' => 'b@example.com'];
try {
    smtpx_send($message, ['host' => '127.0.0.1', 'prot' => 587]);
} catch (ValueError $e) {
    echo $e->getMessage(), "\n";
}
try {
    smtpx_send_raw('a@example.com', ['b@example.com'], "Subject: x\r\n\r\nx\r\n", ['hots' => '127.0.0.1']);
} catch (ValueError $e) {
    echo $e->getMessage(), "\n";
}
try {
    new Smtpx\Client(['host' => '127.0.0.1', 'user' => 'alice']);
} catch (ValueError $e) {
    echo $e->getMessage(), "\n";
}
try {
    smtpx_send($message, ['host' => '127.0.0.1', 'port' => 587, 'ports' => [2525]]);
} catch (ValueError $e) {
    echo $e->getMessage(), "\n";
}
?>
--EXPECT--
smtpx_send(): Argument #2 ($transport) has an unknown key "prot"
smtpx_send_raw(): Argument #4 ($transport) has an unknown key "hots"
Smtpx\Client::__construct(): Argument #1 ($transport) has an unknown key "user"
smtpx_send(): Argument #2 ($transport) has both "port" and "ports": give one
