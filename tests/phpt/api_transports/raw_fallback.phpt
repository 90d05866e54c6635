--TEST--
smtpx_send_raw() with a fallback: a raw-MIME API (Mailgun) takes the caller's bytes when the primary is unreachable; a JSON API (SendGrid) cannot, so it is refused before anything is sent, not after the primary failed (which made a blocked port a ValueError)
--SKIPIF--
<?php require __DIR__ . '/../inc/harness.inc'; smtpx_test_skip_unless_peers(); smtpx_test_skip_unless_api(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$needle = 'rawfb-' . bin2hex(random_bytes(6));
$mime = "From: site@example.com\r\nTo: ann@example.net\r\nSubject: $needle\r\nMessage-ID: <$needle@example.com>\r\n\r\nraw body\r\n";
$closed = ['host' => '127.0.0.1', 'port' => smtpx_test_free_port(), 'connect_timeout' => 2];

$mark = smtpx_test_api_log_mark();
$result = smtpx_send_raw('site@example.com', ['ann@example.net'], $mime, $closed + ['fallback' => smtpx_test_api_transport('mailgun')]);
echo $result['transport'], ' ', $result['http_status'], ' fallback_from: ', $result['fallback_from'] !== '' ? 'set' : '-', "\n";
$arrived = array_values(array_filter(smtpx_test_api_log_since($mark), fn ($e) => str_contains(json_encode($e), $needle)));
echo 'Mailgun got: ', $arrived[0]['fields']['mime']['subject'] ?? '?', "\n";

// A primary that would accept it: the refusal comes first, and nothing is delivered.
try {
    smtpx_send_raw('site@example.com', ['ann@example.net'], str_replace($needle, "$needle-json", $mime),
        smtpx_test_transport('plain', ['fallback' => smtpx_test_api_transport('sendgrid')]));
} catch (ValueError $e) {
    echo get_class($e), ': ', $e->getMessage(), "\n";
}
try {
    smtpx_test_fetch_delivered("$needle-json", 1.0);
    echo "delivered over SMTP\n";
} catch (RuntimeException $e) {
    echo "nothing delivered over SMTP\n";
}
?>
--EXPECTF--
mailgun+api 200 fallback_from: set
Mailgun got: rawfb-%s
ValueError: smtpx_send_raw(): Argument #3 ($mime) mime: sendgrid+api (transport.fallback) takes the message's fields, not MIME: send it with smtpx_send(), or give smtpx_send_raw() an SMTP or raw-MIME (mailgun+api, ses+api) fallback
nothing delivered over SMTP
