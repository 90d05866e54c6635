--TEST--
The delivery options and their php.ini defaults: stagger, persistent, pool_idle, pool_max_age, pool_max_messages, pool_per_key
--FILE--
<?php
foreach (['stagger', 'persistent', 'pool_idle', 'pool_max_age', 'pool_max_messages', 'pool_per_key',
          'port_memory_ttl'] as $name) {
    echo "smtpx.$name = ", ini_get("smtpx.$name"), "\n";
}
$message = ['from' => 'a@example.com', 'to' => 'b@example.com', 'text' => 'x'];
foreach ([['stagger' => -1], ['pool_per_key' => 1.5], ['persistent' => 'yes'], ['pool_idle' => 0],
          ['pool_max_age' => 0], ['pool_max_messages' => 0], ['pool_per_key' => -1]] as $option) {
    try {
        smtpx_send($message, $option + ['host' => '127.0.0.1', 'port' => 1, 'tls' => 'none']);
    } catch (Throwable $e) {
        echo get_class($e), ": ", $e->getMessage(), "\n";
    }
}
try {
    smtpx_probe(['host' => '']);
} catch (ValueError $e) {
    echo $e->getMessage(), "\n";
}
?>
--EXPECT--
smtpx.stagger = 0.25
smtpx.persistent = 1
smtpx.pool_idle = 30
smtpx.pool_max_age = 300
smtpx.pool_max_messages = 100
smtpx.pool_per_key = 2
smtpx.port_memory_ttl = 3600
ValueError: smtpx_send(): Argument #2 ($transport) transport.stagger: must be a number of seconds, 0 or more
TypeError: smtpx_send(): Argument #2 ($transport) transport.pool_per_key: must be of type int, float given
TypeError: smtpx_send(): Argument #2 ($transport) transport.persistent: must be of type bool, string given
ValueError: smtpx_send(): Argument #2 ($transport) transport.pool_idle: must be a number of seconds greater than 0
ValueError: smtpx_send(): Argument #2 ($transport) transport.pool_max_age: must be a number of seconds greater than 0
ValueError: smtpx_send(): Argument #2 ($transport) transport.pool_max_messages: must be 1 or more
ValueError: smtpx_send(): Argument #2 ($transport) transport.pool_per_key: must be from 0 to 1000000
smtpx_probe(): Argument #1 ($transport) transport.host: is empty: name the SMTP server, e.g. smtp.example.com
