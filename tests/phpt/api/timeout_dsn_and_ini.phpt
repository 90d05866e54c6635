--TEST--
Against a server that never greets, the DSN's timeout bounds the wait over smtpx.timeout, and smtpx.timeout bounds it when the DSN says nothing
--EXTENSIONS--
smtpx
--INI--
smtpx.timeout=5
--FILE--
<?php
// Accepted by the kernel's backlog, never answered: no greeting ever comes.
$server = stream_socket_server('tcp://127.0.0.1:0', $errno, $errstr);
$port = (int) substr(strrchr(stream_socket_get_name($server, false), ':'), 1);
$message = ['from' => 'a@example.com', 'to' => 'b@example.com', 'text' => 'x'];
$wait = function (string $dsn) use ($message) {
    $start = microtime(true);
    try {
        smtpx_send($message, $dsn);
        echo "sent?\n";
    } catch (Smtpx\Exception $e) {
        $took = microtime(true) - $start;
        echo get_class($e), ' ', $took < 2 ? 'within 2 s' : sprintf('after %.1f s', $took), "\n";
    }
};
// The first send in a process runs code for the first time, which under valgrind, sharing
// the CPU with the other tests, can take seconds: one untimed send first.
try {
    smtpx_send($message, "smtp+plain://127.0.0.1:$port?timeout=0.3");
} catch (Smtpx\Exception) {
}
$wait("smtp+plain://127.0.0.1:$port?timeout=0.3");
ini_set('smtpx.timeout', '0.3');
$wait("smtp+plain://127.0.0.1:$port");
?>
--EXPECT--
Smtpx\ConnectException within 2 s
Smtpx\ConnectException within 2 s
