--TEST--
The transport is a #[\SensitiveParameter]: a stack trace never shows the password
--EXTENSIONS--
smtpx
--SKIPIF--
<?php if (PHP_VERSION_ID < 80200) die('skip SensitiveParameter is PHP 8.2+'); ?>
--INI--
zend.exception_ignore_args=0
--FILE--
<?php
foreach (['smtpx_send', 'smtpx_send_raw'] as $name) {
    $function = new ReflectionFunction($name);
    foreach ($function->getParameters() as $parameter) {
        if ($parameter->getAttributes(SensitiveParameter::class)) echo "$name: \$", $parameter->getName(), "\n";
    }
}
$constructor = new ReflectionMethod(Smtpx\Client::class, '__construct');
echo 'Smtpx\Client::__construct: $', $constructor->getParameters()[0]->getName(), ' ',
    count($constructor->getParameters()[0]->getAttributes(SensitiveParameter::class)), "\n";

$dsn = 'smtp://alice:wonderland-42@127.0.0.1:1';
$calls = [
    fn() => smtpx_send(['from' => 'a@example.com', 'to' => 'b@example.com', 'tto' => 'x'], $dsn),
    fn() => smtpx_send(['from' => 'a@example.com', 'to' => 'b@example.com'],
        ['host' => '127.0.0.1', 'port' => 465, 'tls' => 'none', 'username' => 'alice', 'password' => 'wonderland-42']),
    fn() => new Smtpx\Client('smtp://alice:wonderland-42@127.0.0.1:1?colour=blue'),
];
foreach ($calls as $call) {
    try {
        $call();
    } catch (Throwable $e) {
        $trace = $e->getTraceAsString();
        echo get_class($e), ': ', str_contains($trace, 'wonderland') ? 'password shown' : 'password hidden', "\n";
        echo get_class($e->getTrace()[0]['args'][1] ?? $e->getTrace()[0]['args'][0]), "\n";
    }
}
?>
--EXPECT--
smtpx_send: $transport
smtpx_send_raw: $transport
Smtpx\Client::__construct: $transport 1
ValueError: password hidden
SensitiveParameterValue
ValueError: password hidden
SensitiveParameterValue
ValueError: password hidden
SensitiveParameterValue
