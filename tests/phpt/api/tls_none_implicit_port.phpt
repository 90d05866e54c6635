--TEST--
tls => 'none' with a port that speaks TLS from the first byte (465) is refused before connecting
--EXTENSIONS--
smtpx
--INI--
pcre.jit=0
--FILE--
<?php
$message = ['from' => 'a@example.com', 'to' => 'b@example.com'];
foreach ([
    ['host' => '127.0.0.1', 'port' => 465, 'tls' => 'none'],
    ['host' => '127.0.0.1', 'ports' => ['2525', '2465'], 'tls' => 'none'],
    ['host' => '127.0.0.1', 'port' => 587, 'tls' => 'optional'],
] as $transport) {
    try {
        smtpx_send($message, $transport);
        echo "sent\n";
    } catch (ValueError $e) {
        echo preg_replace('/\) ([^:]+): .*/s', ') $1: ...', $e->getMessage()), "\n";
    }
}
try {
    new Smtpx\Client(['host' => '127.0.0.1', 'port' => 465, 'tls' => 'none']);
} catch (ValueError $e) {
    echo preg_replace('/\) ([^:]+): .*/s', ') $1: ...', $e->getMessage()), "\n";
}
?>
--EXPECT--
smtpx_send(): Argument #2 ($transport) transport.tls: ...
smtpx_send(): Argument #2 ($transport) transport.tls: ...
smtpx_send(): Argument #2 ($transport) transport.tls: ...
Smtpx\Client::__construct(): Argument #1 ($transport) transport.tls: ...
