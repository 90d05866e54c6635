--TEST--
fallback: a primary that fails before any of the message went out (refused port, untrusted certificate, a transient refusal) hands the message to the fallback transport, here an HTTPS API; a permanent refusal of the message does not
--SKIPIF--
<?php require __DIR__ . '/../inc/harness.inc'; smtpx_test_skip_unless_peers(); smtpx_test_skip_unless_api(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';

function send_with_fallback(string $label, array $primary, string $to = 'ann@example.net'): void
{
    $needle = 'fb-' . bin2hex(random_bytes(6));
    $mark = smtpx_test_api_log_mark();
    $transport = $primary + ['fallback' => smtpx_test_api_transport('sendgrid')];
    try {
        $result = smtpx_send(['from' => 'site@example.com', 'to' => $to, 'subject' => $needle, 'text' => 'x'],
                             $transport);
        echo "$label: ", $result['transport'], ' ', $result['http_status'] ?? '-', "\n  primary: ",
            $result['fallback_from'] ?? '-', "\n";
    } catch (Smtpx\Exception $e) {
        echo "$label: ", get_class($e), ' ', $e->getSmtpCode(), "\n";
    }
    $arrived = array_filter(smtpx_test_api_log_since($mark), fn ($e) => str_contains(json_encode($e), $needle));
    echo '  API requests: ', count($arrived), "\n";
}

$closed = smtpx_test_free_port();
send_with_fallback('refused port', ['host' => '127.0.0.1', 'port' => $closed, 'connect_timeout' => 2]);
send_with_fallback('untrusted certificate', smtpx_test_transport('wrong_host'));
send_with_fallback('transient refusal', smtpx_test_transport('plain'), 'tempfail@example.net');
send_with_fallback('permanent refusal', smtpx_test_transport('plain'), 'reject@example.net');
send_with_fallback('primary delivers', smtpx_test_transport('plain'));
?>
--EXPECTF--
refused port: sendgrid+api 202
  primary: could not reach 127.0.0.1 on any port (%d (127.0.0.1) refused: connection refused: nothing listens there): check the host name, or ask the hosting provider which outgoing ports it allows
  API requests: 1
untrusted certificate: sendgrid+api 202
  primary: the certificate of 127.0.0.1 is for other names (wrong.example): check the host name, or connect with one of those names
  API requests: 1
transient refusal: sendgrid+api 202
  primary: the server refused the recipient: 450 4.2.0 %s
  API requests: 1
permanent refusal: Smtpx\RejectedException 550
  API requests: 0
primary delivers: smtp -
  primary: -
  API requests: 0
