--TEST--
smtpx_send() refuses an unknown message key, naming it, before connecting
--EXTENSIONS--
smtpx
--FILE--
<?php
$transport = ['host' => '127.0.0.1', 'port' => 1, 'tls' => 'none'];
try {
    smtpx_send(['from' => 'a@example.com', 'tto' => 'b@example.com'], $transport);
} catch (ValueError $e) {
    echo $e->getMessage(), "\n";
}
try {
    smtpx_compose(['from' => 'a@example.com', 'to' => 'b@example.com', 0 => 'x']);
} catch (ValueError $e) {
    echo $e->getMessage(), "\n";
}
try {
    smtpx_compose(['from' => 'a@example.com', 'to' => 'b@example.com',
                   'attachments' => [['data' => 'x', 'filename' => 'a.txt']]]);
} catch (ValueError $e) {
    echo $e->getMessage(), "\n";
}
?>
--EXPECT--
smtpx_send(): Argument #1 ($message) has an unknown key "tto"
smtpx_compose(): Argument #1 ($message) has an unknown key "0"
smtpx_compose(): Argument #1 ($message) has an unknown key "filename" in attachments[0]
