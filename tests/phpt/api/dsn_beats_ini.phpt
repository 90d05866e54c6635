--TEST--
A timeout the DSN gives wins over smtpx.timeout, even when it equals the built-in default; the INI fills only what the DSN leaves out
--EXTENSIONS--
smtpx
--INI--
smtpx.timeout=-1
--FILE--
<?php
$show = function (callable $call) {
    try {
        $call();
        echo "ok\n";
    } catch (ValueError $e) {
        echo preg_replace('/\) ([^:]+): .*/s', ') $1: ...', $e->getMessage()), "\n";
    }
};
// 30 is also the built-in default: it must still count as given.
$show(fn() => new Smtpx\Client('smtp+plain://127.0.0.1:1?timeout=30'));
$show(fn() => new Smtpx\Client('smtp+plain://127.0.0.1:1?timeout=0.5'));
// The DSN says nothing about the timeout: smtpx.timeout (nonsense here) applies.
$show(fn() => new Smtpx\Client('smtp+plain://127.0.0.1:1'));
// The same through smtpx.dsn.
ini_set('smtpx.dsn', 'smtp+plain://127.0.0.1:1?timeout=30');
$show(fn() => new Smtpx\Client());
// An array's explicit timeout equal to the default wins too.
$show(fn() => new Smtpx\Client(['host' => '127.0.0.1', 'tls' => 'none', 'timeout' => 30]));
?>
--EXPECT--
ok
ok
Smtpx\Client::__construct(): Argument #1 ($transport) transport.timeout: ...
ok
ok
