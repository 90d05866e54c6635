--TEST--
smtpx.dsn, smtpx.timeout and smtpx.cafile apply when the transport leaves them unset
--EXTENSIONS--
smtpx
--INI--
pcre.jit=0
smtpx.dsn="smtp://alice:wonderland-42@127.0.0.1:1?colour=blue"
smtpx.cafile=/nonexistent/ca.pem
--FILE--
<?php
$message = ['from' => 'a@example.com', 'to' => 'b@example.com'];
$show = function (callable $call) {
    try {
        $call();
        echo "ok\n";
    } catch (ValueError $e) {
        echo preg_replace('/\) ([^:]+): .*/s', ') $1: ...', $e->getMessage()), "\n";
    }
};
// No transport: smtpx.dsn, which has a parameter the core does not know.
$show(fn() => smtpx_send($message));
$show(fn() => new Smtpx\Client());
// A transport of its own, but smtpx.cafile from php.ini, which cannot be read.
$show(fn() => smtpx_send($message, ['host' => '127.0.0.1', 'port' => 1, 'tls' => 'none']));
// The transport's own cafile wins; then smtpx.timeout, set to nonsense, is used.
ini_set('smtpx.timeout', '-1');
$show(fn() => smtpx_send($message, ['host' => '127.0.0.1', 'cafile' => __FILE__]));
// A timeout of its own wins over smtpx.timeout.
ini_set('smtpx.dsn', '');
ini_set('smtpx.cafile', '');
$show(fn() => new Smtpx\Client(['host' => '127.0.0.1', 'timeout' => 0.5]));
?>
--EXPECT--
smtpx_send(): Argument #2 ($transport) dsn: ...
Smtpx\Client::__construct(): Argument #1 ($transport) dsn: ...
smtpx_send(): Argument #2 ($transport) transport.cafile: ...
smtpx_send(): Argument #2 ($transport) transport.timeout: ...
ok
