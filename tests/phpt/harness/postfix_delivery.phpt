--TEST--
Harness: a submission through Postfix lands in the maildir, once per recipient, and parses back
--SKIPIF--
<?php require __DIR__ . '/../inc/harness.inc'; smtpx_test_skip_unless_peers(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';

$transport = smtpx_test_transport('submission');
$mark = smtpx_test_postfix_log_mark();
$helo = 'delivery-' . bin2hex(random_bytes(4)) . '.smtpx.test';
$message_id = '<' . bin2hex(random_bytes(8)) . '@smtpx.test>';
$attachment = random_bytes(3000);
$mime = implode("\r\n", [
    'From: =?UTF-8?Q?J=C3=BCrgen?= <juergen@smtpx.test>',
    'To: bob@example.com, carol@smtpx.test',
    'Subject: =?UTF-8?B?' . base64_encode('Grüße aus dem Test') . '?=',
    "Message-ID: $message_id",
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="b1"',
    '',
    '--b1',
    'Content-Type: text/plain; charset=UTF-8',
    'Content-Transfer-Encoding: quoted-printable',
    '',
    'Gr=C3=BC=C3=9Fe',
    '--b1',
    'Content-Type: application/octet-stream; name="data.bin"',
    'Content-Disposition: attachment; filename="data.bin"',
    'Content-Transfer-Encoding: base64',
    '',
    rtrim(chunk_split(base64_encode($attachment), 76, "\r\n")),
    '--b1--',
    '',
]);

$socket = stream_socket_client("tcp://{$transport['host']}:{$transport['port']}", $errno, $error, $transport['timeout']);
stream_set_timeout($socket, 10);
smtpx_test_smtp_reply($socket);
smtpx_test_smtp_command($socket, "EHLO $helo");
smtpx_test_smtp_command($socket, 'STARTTLS');
// stream_context_set_option() with an array is deprecated since PHP 8.4 and its successor
// is 8.3's: set_params takes the same options on every PHP 8.
stream_context_set_params($socket, ['options' => ['ssl' => ['cafile' => $transport['cafile'], 'peer_name' => $transport['host']]]]);
var_dump(stream_socket_enable_crypto($socket, true, STREAM_CRYPTO_METHOD_TLSv1_2_CLIENT | STREAM_CRYPTO_METHOD_TLSv1_3_CLIENT));
smtpx_test_smtp_command($socket, "EHLO $helo");
echo smtpx_test_smtp_command($socket, 'AUTH PLAIN ' . base64_encode("\0{$transport['username']}\0{$transport['password']}"));
echo smtpx_test_smtp_command($socket, 'MAIL FROM:<juergen@smtpx.test>');
foreach (['bob@example.com', 'rejected-x@example.com', 'tempfail-y@example.com', 'carol@smtpx.test'] as $rcpt) {
    echo smtpx_test_smtp_command($socket, "RCPT TO:<$rcpt>");
}
echo smtpx_test_smtp_command($socket, 'DATA');
$final = smtpx_test_smtp_command($socket, $mime . '.');
echo preg_replace('/queued as \w+/', 'queued as ID', $final);
echo smtpx_test_smtp_command($socket, 'QUIT');
fclose($socket);

$copies = smtpx_test_fetch_delivered_all($message_id, 2);
$parsed = array_map('smtpx_test_parse_email', $copies);
$delivered_to = array_map(fn (array $p): string => $p['headers']['delivered-to'][0], $parsed);
sort($delivered_to);
echo 'delivered to: ', implode(', ', $delivered_to), "\n";
$p = $parsed[0];
echo 'subject: ', $p['subject'], "\n";
echo 'from: ', $p['from'][0]['name'], ' <', $p['from'][0]['address'], ">\n";
echo 'text: ', $p['text'], "\n";
echo 'attachment: ', $p['attachments'][0]['name'], ' ', $p['attachments'][0]['type'], ' ', $p['attachments'][0]['size'],
    ' ', var_export($p['attachments'][0]['sha256'] === hash('sha256', $attachment), true), "\n";
echo 'defects: ', count($p['defects']), "\n";

// postlogd writes asynchronously: wait (bounded) for the AUTH line of this session.
for ($i = 0; $i < 50 && !preg_match('/sasl_method=PLAIN, sasl_username=alice/', smtpx_test_postfix_log($mark)); $i++) {
    usleep(100000);
}
echo 'log: ', preg_match('/sasl_method=PLAIN, sasl_username=alice/', smtpx_test_postfix_log($mark)) ? 'AUTH logged' : 'no AUTH line', "\n";
?>
--EXPECT--
bool(true)
235 2.7.0 Authentication successful
250 2.1.0 Ok
250 2.1.5 Ok
550 5.1.1 <rejected-x@example.com>: Recipient address rejected: test peer refuses reject* recipients
450 4.2.0 <tempfail-y@example.com>: Recipient address rejected: test peer defers tempfail* recipients
250 2.1.5 Ok
354 End data with <CR><LF>.<CR><LF>
250 2.0.0 Ok: queued as ID
221 2.0.0 Bye
delivered to: bob@example.com, carol@smtpx.test
subject: Grüße aus dem Test
from: Jürgen <juergen@smtpx.test>
text: Grüße
attachment: data.bin application/octet-stream 3000 true
defects: 0
log: AUTH logged
