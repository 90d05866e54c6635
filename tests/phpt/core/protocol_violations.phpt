--TEST--
Servers that break the protocol: a non-SMTP greeting, a refused greeting, EHLO and HELO refused, data injected after STARTTLS
--SKIPIF--
<?php require __DIR__ . '/../inc/harness.inc'; smtpx_test_skip_unless_peers(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
function scripted(array $script): array {
    $port = smtpx_test_free_port();
    $p = smtpx_test_spawn(['/usr/bin/python3', smtpx_test_root() . '/tests/peers/scripted_server.py', (string) $port,
        json_encode($script)], '/dev/null');
    smtpx_test_wait_listening($port, $p['process']);
    return ['host' => '127.0.0.1', 'port' => $port, 'timeout' => 5, 'tls' => 'none'];
}
function attempt(array $transport): void {
    try {
        smtpx_send(['from' => 'a@example.com', 'to' => 'b@example.com', 'text' => 'x'], $transport);
        echo "sent\n";
    } catch (Smtpx\Exception $e) {
        echo get_class($e), ' ', $e->getPhase(), ' ', $e->getSmtpCode(), ' ', $e->isTransient() ? 'transient' : 'permanent', "\n";
    }
}
// An HTTP server where SMTP was expected: no port of the plan speaks SMTP.
attempt(scripted(['greeting' => "HTTP/1.1 400 Bad Request\r\n\r\n"]));
// A greeting that refuses service (RFC 5321 3.1: 554).
attempt(scripted(['greeting' => "554 5.7.1 No SMTP service here\r\n"]));
// EHLO and HELO both refused.
attempt(scripted(['greeting' => "220 hi\r\n", 'replies' => ['EHLO' => "502 5.5.2 no\r\n", 'HELO' => "502 5.5.2 no\r\n"]]));
// A reply code that changes inside a multi-line reply.
attempt(scripted(['greeting' => "220 hi\r\n", 'replies' => ['EHLO' => "250-hi\r\n251 PIPELINING\r\n"]]));
// STARTTLS answered together with a forged reply that would be read as if it came inside TLS.
$t = scripted(['greeting' => "220 hi\r\n", 'replies' => ['EHLO' => "250-hi\r\n250 STARTTLS\r\n",
    'STARTTLS' => "220 go ahead\r\n250 forged\r\n"]]);
attempt(['tls' => 'required', 'tls_verify' => false] + $t);
?>
--EXPECT--
Smtpx\ConnectException connect 0 transient
Smtpx\ConnectException greeting 554 permanent
Smtpx\ProtocolException ehlo 502 permanent
Smtpx\ProtocolException ehlo 0 permanent
Smtpx\ProtocolException tls 0 permanent
