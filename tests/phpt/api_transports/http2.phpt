--TEST--
API transports over HTTP/2: smtpx negotiates h2 (ALPN) with a server that offers it, and every later send of the process goes out on the same kept connection, one stream each
--CONFLICTS--
h2_front
--SKIPIF--
<?php require __DIR__ . '/../inc/harness.inc'; smtpx_test_skip_unless_peers(); smtpx_test_skip_unless_api(); smtpx_test_skip_unless_h2(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$mark = smtpx_test_h2_log_mark();
$api_mark = smtpx_test_api_log_mark();
$needle = 'h2-' . bin2hex(random_bytes(6));
// SES too: its SigV4 signature covers the Host the client sent, which the front passes on.
foreach (['sendgrid', 'sendgrid', 'ses', 'mailgun'] as $i => $provider) {
    $result = smtpx_send(
        ['from' => 'site@example.com', 'to' => 'ann@example.net', 'subject' => "$needle $i", 'text' => "over h2\n"],
        smtpx_test_api_transport($provider, ['api_endpoint' => smtpx_test_h2_endpoint()])
    );
    echo $result['transport'], ' ', $result['reply'], ' ', $result['tls'], ' reused=', var_export($result['reused'], true), "\n";
}
$requests = smtpx_test_h2_log_since($mark, 4);
echo 'requests: ', count($requests), ', connections: ', count(array_unique(array_column($requests, 'connection'))),
    ', protocols: ', implode(' ', array_unique(array_column($requests, 'protocol'))),
    ', on the connection: ', implode(' ', array_column($requests, 'request')), "\n";
// What reached the API peer behind the front: each message, accepted (SigV4 verified).
$arrived = array_filter(smtpx_test_api_log_since($api_mark), fn ($e) => str_contains(json_encode($e['fields']), $needle));
echo 'accepted by the peer: ', count(array_filter($arrived, fn ($e) => $e['accepted'])), "\n";
?>
--EXPECT--
sendgrid+api HTTP/2 202 TLSv1.3 reused=false
sendgrid+api HTTP/2 202 TLSv1.3 reused=true
ses+api HTTP/2 200 TLSv1.3 reused=true
mailgun+api HTTP/2 200 TLSv1.3 reused=true
requests: 4, connections: 1, protocols: HTTP/2.0, on the connection: 1 2 3 4
accepted by the peer: 4
