--TEST--
Nothing listening: ConnectException naming each port tried; an unresolvable host names the host
--FILE--
<?php
$free = [];
for ($i = 0; $i < 2; $i++) {
    $s = stream_socket_server('tcp://127.0.0.1:0');
    $free[] = (int) substr(strrchr(stream_socket_get_name($s, false), ':'), 1);
    fclose($s);
}
$m = ['from' => 'a@example.com', 'to' => 'b@example.com', 'text' => 'x'];
$start = microtime(true);
try {
    smtpx_send($m, ['host' => '127.0.0.1', 'ports' => $free, 'timeout' => 5]);
} catch (Smtpx\ConnectException $e) {
    var_dump($e->getPhase(), $e->isTransient(), $e->getSmtpCode());
    var_dump(str_contains($e->getMessage(), (string) $free[0]) && str_contains($e->getMessage(), (string) $free[1]));
    var_dump(microtime(true) - $start < 2);  // refusals move on at once
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
