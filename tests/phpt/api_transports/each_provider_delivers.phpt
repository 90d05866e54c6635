--TEST--
Each HTTPS API (SendGrid, Mailgun, SES, Postmark, Brevo) takes the message in its own format over a verified, kept connection; the result names the transport, the HTTP status and the provider's id
--SKIPIF--
<?php require __DIR__ . '/../inc/harness.inc'; smtpx_test_skip_unless_api(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';

$needle = 'api-' . bin2hex(random_bytes(6));
$message = [
    'from' => 'Site <site@example.com>',
    'to' => ['Ann <ann@example.net>'],
    'cc' => 'cc@example.net',
    'bcc' => 'hidden@example.net',
    'reply_to' => 'reply@example.com',
    'subject' => "Grüße $needle",
    'text' => "Hello $needle",
    'html' => "<p>Hello <b>$needle</b></p>",
    'headers' => ['X-Tag' => $needle],
    'attachments' => [['data' => str_repeat("\x00\x01binary", 100), 'name' => 'data.bin']],
];

foreach (['sendgrid', 'mailgun', 'ses', 'postmark', 'brevo'] as $provider) {
    $mark = smtpx_test_api_log_mark();
    $result = smtpx_send($message, smtpx_test_api_transport($provider));
    $entries = array_values(array_filter(smtpx_test_api_log_since($mark),
        fn ($e) => str_contains(json_encode($e['fields'] ?? []), $needle)));
    echo $provider, ': ', $result['transport'], ' ', $result['http_status'], ' id ',
        $result['provider_message_id'] !== '' ? 'set' : 'empty', ' tls ', $result['tls'], "\n";
    echo '  arrived: ', count($entries), ' ', $entries[0]['path'] ?? '-', ' accepted=',
        var_export($entries[0]['accepted'] ?? null, true), "\n";
    echo '  accepted: ', implode(', ', $result['accepted']), "\n";
}
echo 'the next send on the kept connection: ', var_export(smtpx_send($message, smtpx_test_api_transport('sendgrid'))['reused'], true), "\n";
?>
--EXPECTF--
sendgrid: sendgrid+api 202 id set tls TLSv1.3
  arrived: 1 /v3/mail/send accepted=true
  accepted: ann@example.net, cc@example.net, hidden@example.net
mailgun: mailgun+api 200 id set tls TLSv1.3
  arrived: 1 /v3/mg.example.com/messages.mime accepted=true
  accepted: ann@example.net, cc@example.net, hidden@example.net
ses: ses+api 200 id set tls TLSv1.3
  arrived: 1 /v2/email/outbound-emails accepted=true
  accepted: ann@example.net, cc@example.net, hidden@example.net
postmark: postmark+api 200 id set tls TLSv1.3
  arrived: 1 /email accepted=true
  accepted: ann@example.net, cc@example.net, hidden@example.net
brevo: brevo+api 201 id set tls TLSv1.3
  arrived: 1 /v3/smtp/email accepted=true
  accepted: ann@example.net, cc@example.net, hidden@example.net
the next send on the kept connection: true
