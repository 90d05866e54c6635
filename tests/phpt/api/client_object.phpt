--TEST--
Smtpx\Client is final, cannot be cloned, serialized or made without its constructor
--EXTENSIONS--
smtpx
--FILE--
<?php
$class = new ReflectionClass(Smtpx\Client::class);
var_dump($class->isFinal());

// Connecting is lazy: constructing with a valid transport sends nothing.
$client = new Smtpx\Client(['host' => '127.0.0.1', 'port' => 1, 'tls' => 'none']);
try {
    $copy = clone $client;
} catch (Error $e) {
    echo get_class($e), ': ', $e->getMessage(), "\n";
}
try {
    serialize($client);
} catch (Exception $e) {
    echo get_class($e), ': ', $e->getMessage(), "\n";
}
try {
    $client->undeclared = 1;
} catch (Error $e) {
    echo get_class($e), ': ', $e->getMessage(), "\n";
}
try {
    $client->send(['from' => 'a@example.com', 'to' => 'b@example.com', 'tto' => 'c@example.com']);
} catch (ValueError $e) {
    echo get_class($e), ': ', $e->getMessage(), "\n";
}
try {
    $client->send(['from' => 'a@example.com', 'to' => 'b@example.com']);
} catch (Smtpx\ConnectException $e) {
    echo get_class($e), ': ', $e->getPhase(), "\n";
}
$client->close();
$client->close();

// A Client exists only once its constructor has run.
try {
    $class->newInstanceWithoutConstructor();
} catch (ReflectionException $e) {
    echo get_class($e), "\n";
}
unset($client);
echo "done\n";
?>
--EXPECT--
bool(true)
Error: Trying to clone an uncloneable object of class Smtpx\Client
Exception: Serialization of 'Smtpx\Client' is not allowed
Error: Cannot create dynamic property Smtpx\Client::$undeclared
ValueError: Smtpx\Client::send(): Argument #1 ($message) has an unknown key "tto"
Smtpx\ConnectException: connect
ReflectionException
done
