--TEST--
Odd and failing servers (smtp-sink): no ESMTP falls back to HELO; a drop after the data is an unknown outcome; slow replies time out
--SKIPIF--
<?php require __DIR__ . '/../inc/harness.inc'; smtpx_test_skip_unless_peers(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$m = ['from' => 'a@example.com', 'to' => 'b@example.com', 'subject' => 's', 'text' => 'x'];
$plain = fn(array $sink, array $extra = []) => $extra + ['host' => '127.0.0.1', 'port' => $sink['port'], 'tls' => 'none', 'timeout' => 5, 'debug' => true];

// -f ehlo: EHLO refused as by a server without ESMTP (RFC 5321 4.1.4); HELO works.
$r = smtpx_send($m, $plain(smtpx_test_start_sink(['-e', '-f', 'ehlo'])));
var_dump(str_contains($r['transcript'], 'C: HELO'), $r['accepted']);

// -p: no PIPELINING: lock-step.
$r = smtpx_send($m, $plain(smtpx_test_start_sink(['-p'])));
var_dump(substr_count($r['transcript'], "\nS: 250") >= 3);

// -q .: the server hangs up after the end of the data, before its reply.
try {
    smtpx_send($m, $plain(smtpx_test_start_sink(['-q', '.'])));
} catch (Smtpx\Exception $e) {
    var_dump($e->getPhase(), $e->isOutcomeUnknown(), $e->isTransient());
}

// -q rcpt: a hang-up before the data is a plain connection failure, safe to retry.
try {
    smtpx_send($m, $plain(smtpx_test_start_sink(['-q', 'rcpt'])));
} catch (Smtpx\Exception $e) {
    var_dump($e->getPhase(), $e->isOutcomeUnknown(), $e->isTransient());
}

// -f mail: MAIL refused permanently.
try {
    smtpx_send($m, $plain(smtpx_test_start_sink(['-f', 'mail'])));
} catch (Smtpx\RejectedException $e) {
    var_dump($e->getPhase(), $e->getSmtpCode() >= 500);
}

// -w 3: DATA answered after 3 s (smtp-sink holds back the pipelined MAIL and RCPT
// replies with it), but each reply may take only 1 s.
try {
    smtpx_send($m, $plain(smtpx_test_start_sink(['-w', '3']), ['reply_timeout' => 1]));
} catch (Smtpx\TimeoutException $e) {
    var_dump(in_array($e->getPhase(), ['mail', 'data'], true), $e->isTransient());
}
?>
--EXPECT--
bool(true)
array(1) {
  [0]=>
  string(13) "b@example.com"
}
bool(true)
string(4) "data"
bool(true)
bool(false)
string(4) "rcpt"
bool(false)
bool(true)
string(4) "mail"
bool(true)
bool(true)
bool(true)
