--TEST--
API transports: only https endpoints (an http:// one refused as input, an https:// one answering in clear text at TLS), the certificate verified (the system store does not trust the test CA) and its name checked, and the key never in an error, a transcript or phpinfo()
--SKIPIF--
<?php require __DIR__ . '/../inc/harness.inc'; smtpx_test_skip_unless_api(); ?>
--INI--
smtpx.dsn="sendgrid+api://SG.secret-in-ini@127.0.0.1:10443"
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$message = ['from' => 'site@example.com', 'to' => 'ann@example.net', 'subject' => 'sec', 'text' => 'x'];

try {
    smtpx_send($message, smtpx_test_api_transport('sendgrid', ['api_endpoint' => 'http://127.0.0.1:10443']));
} catch (ValueError $e) {
    echo get_class($e), ': ', $e->getMessage(), "\n";
}

$untrusted = smtpx_test_api_transport('postmark', ['api_key' => 'pm-wrong-token']);
unset($untrusted['cafile']);
try {
    smtpx_send($message, $untrusted);
} catch (Smtpx\TlsException $e) {
    echo get_class($e), ' phase=', $e->getPhase(), ' transient=', var_export($e->isTransient(), true), "\n";
    var_dump(str_contains($e->getMessage(), 'pm-wrong-token'));
}

// An https:// endpoint that answers in clear text (api_server.py --plain): no TLS, nothing sent.
$plain_port = smtpx_test_free_port();
$plain_log = tempnam(sys_get_temp_dir(), 'smtpx-plain');
$plain = proc_open(['/usr/bin/python3', __DIR__ . '/../../peers/api_server.py', (string) $plain_port, $plain_log, '--plain'],
                   [1 => ['file', '/dev/null', 'w'], 2 => ['file', '/dev/null', 'w']], $pipes);
for ($i = 0; $i < 100 && !@fsockopen('127.0.0.1', $plain_port); $i++) {
    usleep(100_000);
}
try {
    smtpx_send($message, smtpx_test_api_transport('sendgrid', ['api_endpoint' => "https://127.0.0.1:$plain_port"]));
} catch (Smtpx\TlsException $e) {
    echo get_class($e), ' phase=', $e->getPhase(), ', requests the server read: ', count(file($plain_log)), "\n";
}
proc_terminate($plain);
unlink($plain_log);

// libcurl resolves *.localhost to loopback itself (RFC 6761): the peer's certificate names
// localhost, 127.0.0.1 and ::1, not this name.
try {
    smtpx_send($message, smtpx_test_api_transport('sendgrid', ['api_endpoint' => 'https://wrong-name.localhost:' . smtpx_test_api_port()]));
} catch (Smtpx\TlsException $e) {
    echo get_class($e), ' phase=', $e->getPhase(), ': ', $e->getMessage(), "\n";
}

try {
    smtpx_send($message, smtpx_test_api_transport('brevo', ['api_key' => 'xkeysib-wrong', 'debug' => true]));
} catch (Smtpx\AuthException $e) {
    echo get_class($e), ': ', $e->getHint(), "\n";
    echo $e->getTranscript();
    var_dump(str_contains($e->getMessage() . $e->getTranscript(), 'xkeysib-wrong'));
}

ob_start();
phpinfo(INFO_MODULES);
$info = ob_get_clean();
var_dump(str_contains($info, 'SG.secret-in-ini'), str_contains($info, 'sendgrid+api://********@127.0.0.1:10443'));
?>
--EXPECTF--
ValueError: smtpx_send(): Argument #2 ($transport) transport.api_endpoint: must be an https:// URL: API keys never travel in clear text
Smtpx\TlsException phase=tls transient=false
bool(false)
Smtpx\TlsException phase=tls, requests the server read: 0
Smtpx\TlsException phase=tls: the certificate of wrong-name.localhost:10443 was refused (%s): set cafile to its CA when a proxy or a test server presents its own
Smtpx\AuthException: Brevo wants an API key (xkeysib-...) from "SMTP & API" as api_key, not the SMTP key.
C: POST https://127.0.0.1:10443/v3/smtp/email
C: api-key: ********
C: Content-Type: application/json
C: Accept: application/json
C: [%d bytes of body]
S: HTTP/1.1 401 [%d bytes]
bool(false)
bool(false)
bool(true)
