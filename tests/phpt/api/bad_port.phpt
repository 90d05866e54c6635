--TEST--
A port outside 1-65535, or a port choice with an unknown TLS mode, is a ValueError naming the field
--EXTENSIONS--
smtpx
--INI--
pcre.jit=0
--FILE--
<?php
$message = ['from' => 'a@example.com', 'to' => 'b@example.com'];
$transports = [
    ['host' => '127.0.0.1', 'port' => 0],
    ['host' => '127.0.0.1', 'port' => 70000],
    ['host' => '127.0.0.1', 'port' => -25],
    ['host' => '127.0.0.1', 'port' => 'submission'],
    ['host' => '127.0.0.1', 'ports' => [587, '2465/xyz']],
    'smtp://127.0.0.1:99999',
];
foreach ($transports as $transport) {
    try {
        smtpx_send($message, $transport);
        echo "sent\n";
    } catch (ValueError $e) {
        echo preg_replace('/\) ([^:]+): .*/s', ') $1: ...', $e->getMessage()), "\n";
    }
}
?>
--EXPECT--
smtpx_send(): Argument #2 ($transport) transport.port: ...
smtpx_send(): Argument #2 ($transport) transport.port: ...
smtpx_send(): Argument #2 ($transport) transport.port: ...
smtpx_send(): Argument #2 ($transport) transport.port: ...
smtpx_send(): Argument #2 ($transport) transport.ports[1]: ...
smtpx_send(): Argument #2 ($transport) dsn.port: ...
