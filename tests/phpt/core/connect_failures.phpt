--TEST--
Nothing listening: ConnectException naming each port tried; an unresolvable host names the host
--FILE--
<?php
// Ports nothing listens on, held bound (not listening) until the end: a connect to them is
// refused, and the kernel hands them to no other socket meanwhile, neither a server of a
// test running in parallel that binds port 0 nor a connect of ours as its source port (a
// TCP self-connect, which would look like a server that never greets).
$held = [];
$free = [];
for ($i = 0; $i < 2; $i++) {
    $held[] = $s = stream_socket_server('tcp://127.0.0.1:0', $errno, $error, STREAM_SERVER_BIND);
    $free[] = (int) substr(strrchr(stream_socket_get_name($s, false), ':'), 1);
}
$m = ['from' => 'a@example.com', 'to' => 'b@example.com', 'text' => 'x'];
try {
    smtpx_send($m, ['host' => '127.0.0.1', 'ports' => $free, 'timeout' => 5]);
} catch (Smtpx\ConnectException $e) {
    var_dump($e->getPhase(), $e->isTransient(), $e->getSmtpCode());
    var_dump(str_contains($e->getMessage(), (string) $free[0]) && str_contains($e->getMessage(), (string) $free[1]));
}
// Refusals move on at once. Timed on a second send: the first in a process runs code for the
// first time, which under valgrind, sharing the CPU with the other tests, can take seconds.
$start = microtime(true);
try {
    smtpx_send($m, ['host' => '127.0.0.1', 'ports' => $free, 'timeout' => 5]);
} catch (Smtpx\ConnectException $e) {
    var_dump(microtime(true) - $start < 2);
}
try {
    smtpx_send($m, ['host' => 'no-such-host.invalid', 'port' => 587, 'timeout' => 5]);
} catch (Smtpx\ConnectException $e) {
    var_dump($e->getPhase(), str_contains($e->getMessage(), 'no-such-host.invalid'));
}
?>
--EXPECT--
string(7) "connect"
bool(true)
int(0)
bool(true)
bool(true)
string(7) "connect"
bool(true)
