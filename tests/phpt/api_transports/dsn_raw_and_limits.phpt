--TEST--
API DSNs as Symfony Mailer spells them; smtpx_send_raw() to the raw-MIME APIs (Mailgun, SES) and a clear error for the JSON ones; what an API cannot carry is a ValueError naming the field, before anything is sent
--SKIPIF--
<?php require __DIR__ . '/../inc/harness.inc'; smtpx_test_skip_unless_api(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$ca = urlencode(smtpx_test_peers_dir() . '/ca.pem');
$message = ['from' => 'site@example.com', 'to' => 'ann@example.net', 'subject' => 'dsn', 'text' => 'x'];

foreach (["sendgrid+api://SG.test-key@127.0.0.1:10443?cafile=$ca",
          "mailgun+api://mg-test-key:mg.example.com@127.0.0.1:10443?cafile=$ca",
          "ses+api://AKIDTEST:ses-test-secret@127.0.0.1:10443?region=eu-west-1&cafile=$ca",
          "postmark+api://pm-test-token@127.0.0.1:10443?message_stream=outbound&cafile=$ca",
          "brevo+api://xkeysib-test@127.0.0.1:10443?cafile=$ca"] as $dsn) {
    $result = smtpx_send($message, $dsn);
    echo $result['transport'], ' ', $result['http_status'], "\n";
}

$mime = "From: site@example.com\r\nTo: ann@example.net\r\nSubject: raw\r\nMessage-ID: <raw-"
    . bin2hex(random_bytes(4)) . "@example.com>\r\n\r\nraw body\r\n";
foreach (['mailgun', 'ses'] as $provider) {
    $result = smtpx_send_raw('site@example.com', ['ann@example.net', 'hidden@example.net'], $mime,
                             smtpx_test_api_transport($provider));
    echo "raw $provider: ", $result['http_status'], ' ', implode(',', $result['accepted']), "\n";
}
try {
    smtpx_send_raw('site@example.com', ['ann@example.net'], $mime, smtpx_test_api_transport('sendgrid'));
} catch (ValueError $e) {
    echo $e->getMessage(), "\n";
}

// Parallel tests send to the peer too: this part's requests carry a needle of their own.
$needle = 'refused-' . bin2hex(random_bytes(6));
$message['subject'] = $needle;
$mark = smtpx_test_api_log_mark();
$many = $message;
$many['to'] = array_map(fn ($i) => "r$i@example.net", range(1, 51));
$cases = [
    ['postmark', $many],
    ['sendgrid', $message + ['headers' => ['Content-Type' => 'text/plain']]],
    ['brevo', $message + ['reply_to' => ['a@example.com', 'b@example.com']]],
    ['brevo', $message + ['attachments' => [['data' => 'png', 'name' => 'a.png', 'inline' => 'logo']]]],
    ['postmark', $message + ['sender' => 'bounce@example.com']],
    ['postmark', $message + ['attachments' => [['data' => str_repeat('a', 8_000_000), 'name' => 'big.txt']]]],
];
foreach ($cases as [$provider, $input]) {
    try {
        smtpx_send($input, smtpx_test_api_transport($provider));
        echo "$provider: sent\n";
    } catch (ValueError $e) {
        echo "$provider: ", $e->getMessage(), "\n";
    }
}
echo 'requests sent for refused input: ',
    count(array_filter(smtpx_test_api_log_since($mark), fn ($e) => str_contains(json_encode($e), $needle))), "\n";

foreach ([['api' => 'sendgrid'], ['api' => 'mailgun', 'api_key' => 'k'], ['api' => 'ses', 'api_key' => 'k', 'secret' => 's'],
          ['api' => 'nosuch', 'api_key' => 'k']] as $transport) {
    try {
        smtpx_send($message, $transport);
    } catch (ValueError $e) {
        echo $e->getMessage(), "\n";
    }
}
?>
--EXPECTF--
sendgrid+api 202
mailgun+api 200
ses+api 200
postmark+api 200
brevo+api 201
raw mailgun: 200 ann@example.net,hidden@example.net
raw ses: 200 ann@example.net,hidden@example.net
smtpx_send_raw(): Argument #3 ($mime) mime: SendGrid's API takes the message's fields, not MIME: send it with smtpx_send(), or use SMTP or a raw-MIME API (mailgun+api, ses+api) for smtpx_send_raw()
postmark: smtpx_send(): Argument #1 ($message) to: has 51 recipients in all; postmark's API takes at most 50 per message
sendgrid: smtpx_send(): Argument #1 ($message) headers.Content-Type: SendGrid's API sets this header itself and refuses it
brevo: smtpx_send(): Argument #1 ($message) reply_to: Brevo's API takes one Reply-To address; give one, or send over SMTP
brevo: smtpx_send(): Argument #1 ($message) attachments[0].inline: Brevo's API cannot carry inline parts referenced by cid:; attach it, or send over SMTP
postmark: smtpx_send(): Argument #1 ($message) sender: Postmark's API sets the envelope sender itself: remove sender/return_path, or send over SMTP
postmark: smtpx_send(): Argument #1 ($message) attachments: make the request %d bytes, and postmark's API takes at most 10000000: send smaller attachments
requests sent for refused input: 0
smtpx_send(): Argument #2 ($transport) transport.api_key: is required for the sendgrid API
smtpx_send(): Argument #2 ($transport) transport.domain: is required for Mailgun: the sending domain, e.g. mg.example.com
smtpx_send(): Argument #2 ($transport) transport.region: is required for SES, e.g. eu-west-1
smtpx_send(): Argument #2 ($transport) transport.api: unknown API 'nosuch'; known: sendgrid, mailgun, ses, postmark, brevo
