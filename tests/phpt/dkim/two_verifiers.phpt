--TEST--
DKIM: OpenDKIM (a milter on the receiving Postfix) and dkimpy, both with the keys from the harness DNS, verify smtpx's RSA-SHA256 and Ed25519-SHA256 signatures over BDAT and DATA, with text, HTML, attachments, folded and UTF-8 headers and dot lines; a tampered body or header, or a key other than the published one, fails in both
--SKIPIF--
<?php
require __DIR__ . '/../inc/harness.inc';
smtpx_test_skip_unless_peers();
smtpx_test_skip_unless_dkim_peers();
if (smtpx_test_under_valgrind()) {
    // run-tests.php traces children: the Python verifiers would run under valgrind too (2 minutes);
    // sign_and_verify.phpt takes the signing paths through valgrind.
    die("skip the verifiers under valgrind take too long\n");
}
?>
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$dkim = [
    ['domain' => 'good.example', 'selector' => 'rsa2026', 'private_key' => smtpx_test_dkim_key('rsa2026')],
    ['domain' => 'good.example', 'selector' => 'ed2026', 'private_key' => smtpx_test_dkim_key('ed2026'),
     'algorithm' => 'ed25519-sha256'],
];
$dir = sys_get_temp_dir() . '/smtpx-dkim-' . bin2hex(random_bytes(4));
mkdir($dir, 0700);
register_shutdown_function(fn () => exec('rm -rf ' . escapeshellarg($dir)));
file_put_contents("$dir/report.pdf", random_bytes(70_000));

function verdicts_of(string $raw, string $dir): string
{
    file_put_contents("$dir/copy.eml", $raw);
    return smtpx_test_dkim_verdicts("$dir/copy.eml");
}

// The delivered copy as a sender would hand it on: CRLF, the fields the receivers added removed,
// an unsigned field of its own on top so the next copy can be found.
function resubmittable(string $delivered, string $needle): string
{
    $headers_added = '/^(Return-Path|X-Original-To|Delivered-To|Received|Authentication-Results):.*\n([ \t].*\n)*/m';
    return "X-Copy: $needle\r\n" . str_replace("\n", "\r\n", preg_replace($headers_added, '', $delivered));
}

function resend(string $mime, string $needle): string
{
    smtpx_send_raw('site@good.example', ['ann@example.net'], $mime, smtpx_test_transport('dkim_verify'));
    return smtpx_test_fetch_delivered($needle);
}

$needle = 'bdat-' . bin2hex(random_bytes(6));
$message = [
    'from' => 'Ünïcode Site <site@good.example>',
    'to' => ['Zoë <ann@example.net>'],
    'subject' => "Grüße, ✓ $needle",
    'text' => "Dot lines:\n.\n..\n. leading dot and space\nTrailing spaces   \n\tTabbed\n\n\n",
    'html' => '<p>Hello <b>there</b></p><img src="cid:logo">',
    'attachments' => ["$dir/report.pdf", ['data' => random_bytes(2_000), 'name' => 'logo.png', 'inline' => 'logo']],
    'headers' => ['List-Unsubscribe' => '<https://good.example/unsubscribe/' . str_repeat('a1b2c3d4', 12)
                  . '>, <mailto:unsubscribe@good.example?subject=' . $needle . '>',
                  'List-Unsubscribe-Post' => 'List-Unsubscribe=One-Click'],
];
$result = smtpx_send($message, smtpx_test_transport('dkim_verify', ['dkim' => $dkim]));
$bdat = smtpx_test_fetch_delivered($needle);
echo "BDAT, composed:\n", verdicts_of($bdat, $dir);
echo 'folded List-Unsubscribe: ', preg_match('/^List-Unsubscribe: .*\n[ \t]/m', $bdat) ? 'yes' : 'no', "\n";
echo 'dot lines intact: ', str_contains($bdat, "\n.\n..\n. leading dot") ? 'yes' : 'no', "\n";

// DATA: aiosmtpd offers no CHUNKING; what it received (dot-unstuffed) goes on to OpenDKIM unsigned again.
$server = smtpx_test_start_aiosmtpd();
$needle = 'data-' . bin2hex(random_bytes(6));
smtpx_send(['subject' => "Grüße, ✓ $needle"] + $message,
           ['host' => '127.0.0.1', 'port' => $server['port'], 'tls' => 'none', 'dkim' => $dkim]);
for ($until = microtime(true) + 10; !glob("{$server['dir']}/*.eml") && microtime(true) < $until;) usleep(50000);
$received = file_get_contents(glob("{$server['dir']}/*.eml")[0]);
echo "DATA, composed:\n", verdicts_of($received, $dir);
$copy = 'copy-' . bin2hex(random_bytes(6));
echo "DATA's bytes through OpenDKIM:\n", verdicts_of(resend("X-Copy: $copy\r\n" . $received, $copy), $dir);

$needle = 'raw-' . bin2hex(random_bytes(6));
$mime = "From: site@good.example\r\nTo: ann@example.net\r\nSubject: $needle\r\nDate: Wed, 02 Dec 2026 12:00:00 +0000\r\n"
    . "Message-ID: <$needle@good.example>\r\n\r\n..raw body\r\n.\r\n";
smtpx_send_raw('site@good.example', ['ann@example.net'], $mime, smtpx_test_transport('dkim_verify', ['dkim' => $dkim[1]]));
echo "smtpx_send_raw:\n", verdicts_of(smtpx_test_fetch_delivered($needle), $dir);
// Written with bare LFs, as PHP code often is: signed as the server receives it, every break CRLF.
$lf_needle = 'raw-lf-' . bin2hex(random_bytes(6));
smtpx_send_raw('site@good.example', ['ann@example.net'], str_replace(["\r\n", $needle], ["\n", $lf_needle], $mime),
               smtpx_test_transport('dkim_verify', ['dkim' => $dkim]));
echo "smtpx_send_raw, LF line ends:\n", verdicts_of(smtpx_test_fetch_delivered($lf_needle), $dir);

$copy = 'body-' . bin2hex(random_bytes(6));
echo "body tampered:\n", verdicts_of(resend(str_replace('Trailing spaces', 'Trailing spaced', resubmittable($bdat, $copy)), $copy), $dir);
$copy = 'header-' . bin2hex(random_bytes(6));
echo "header tampered:\n", verdicts_of(resend(preg_replace('/^Subject: .*$/m', 'Subject: free money', resubmittable($bdat, $copy)), $copy), $dir);
$copy = 'from-' . bin2hex(random_bytes(6));
echo "From added:\n", verdicts_of(resend("From: ceo@good.example\r\n" . resubmittable($bdat, $copy), $copy), $dir);

$needle = 'otherkey-' . bin2hex(random_bytes(6));
smtpx_send(['from' => 'site@good.example', 'to' => 'ann@example.net', 'subject' => $needle, 'text' => "x\n"],
           smtpx_test_transport('dkim_verify', ['dkim' => ['private_key' => smtpx_test_dkim_key('other')] + $dkim[0]]));
echo "not the published key:\n", verdicts_of(smtpx_test_fetch_delivered($needle), $dir);
?>
--EXPECT--
BDAT, composed:
opendkim: dkim=pass header.d=good.example header.a=ed25519-sha256 header.s=ed2026
opendkim: dkim=pass header.d=good.example header.a=rsa-sha256 header.s=rsa2026
dkimpy: d=good.example s=ed2026 a=ed25519-sha256 ok
dkimpy: d=good.example s=rsa2026 a=rsa-sha256 ok
folded List-Unsubscribe: yes
dot lines intact: yes
DATA, composed:
dkimpy: d=good.example s=ed2026 a=ed25519-sha256 ok
dkimpy: d=good.example s=rsa2026 a=rsa-sha256 ok
DATA's bytes through OpenDKIM:
opendkim: dkim=pass header.d=good.example header.a=ed25519-sha256 header.s=ed2026
opendkim: dkim=pass header.d=good.example header.a=rsa-sha256 header.s=rsa2026
dkimpy: d=good.example s=ed2026 a=ed25519-sha256 ok
dkimpy: d=good.example s=rsa2026 a=rsa-sha256 ok
smtpx_send_raw:
opendkim: dkim=pass header.d=good.example header.a=ed25519-sha256 header.s=ed2026
dkimpy: d=good.example s=ed2026 a=ed25519-sha256 ok
smtpx_send_raw, LF line ends:
opendkim: dkim=pass header.d=good.example header.a=ed25519-sha256 header.s=ed2026
opendkim: dkim=pass header.d=good.example header.a=rsa-sha256 header.s=rsa2026
dkimpy: d=good.example s=ed2026 a=ed25519-sha256 ok
dkimpy: d=good.example s=rsa2026 a=rsa-sha256 ok
body tampered:
opendkim: dkim=fail header.d=good.example header.a=ed25519-sha256 header.s=ed2026
opendkim: dkim=fail header.d=good.example header.a=rsa-sha256 header.s=rsa2026
dkimpy: d=good.example s=ed2026 a=ed25519-sha256 FAIL
dkimpy: d=good.example s=rsa2026 a=rsa-sha256 FAIL
header tampered:
opendkim: dkim=fail header.d=good.example header.a=ed25519-sha256 header.s=ed2026
opendkim: dkim=fail header.d=good.example header.a=rsa-sha256 header.s=rsa2026
dkimpy: d=good.example s=ed2026 a=ed25519-sha256 FAIL
dkimpy: d=good.example s=rsa2026 a=rsa-sha256 FAIL
From added:
opendkim: dkim=fail header.d=good.example header.a=ed25519-sha256 header.s=ed2026
opendkim: dkim=fail header.d=good.example header.a=rsa-sha256 header.s=rsa2026
dkimpy: d=good.example s=ed2026 a=ed25519-sha256 FAIL
dkimpy: d=good.example s=rsa2026 a=rsa-sha256 FAIL
not the published key:
opendkim: dkim=fail header.d=good.example header.a=rsa-sha256 header.s=rsa2026
dkimpy: d=good.example s=rsa2026 a=rsa-sha256 FAIL
