--TEST--
DKIM: smtpx_send() signs what it composes (RSA-SHA256 and Ed25519-SHA256 side by side, a 3 MB attachment streamed), smtpx_send_raw() signs the caller's bytes once; dkimpy verifies every signature against the public keys; bad keys are a ValueError naming dkim.private_key before anything is sent
--SKIPIF--
<?php
require __DIR__ . '/../inc/harness.inc';
smtpx_test_skip_unless_peers();
smtpx_test_skip_unless_dkim_peers();
?>
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$dir = sys_get_temp_dir() . '/smtpx-dkim-' . bin2hex(random_bytes(4));
mkdir($dir, 0700);
register_shutdown_function(fn () => exec('rm -rf ' . escapeshellarg($dir)));
exec("openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:512 -out $dir/weak.pem 2>/dev/null");
exec("openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -aes-128-cbc -pass pass:sesame -out $dir/locked.pem 2>/dev/null");

// dkimpy, with the keys from the harness DNS (the copies come through 10025: no OpenDKIM there).
function verify(string $raw, string $dir): void
{
    file_put_contents("$dir/message.eml", $raw);
    echo smtpx_test_dkim_verdicts("$dir/message.eml");
}

$dkim = [
    ['domain' => 'good.example', 'selector' => 'rsa2026', 'private_key' => smtpx_test_dkim_key('rsa2026')],
    ['domain' => 'good.example', 'selector' => 'ed2026', 'private_key' => file_get_contents(smtpx_test_dkim_key('ed2026')),
     'algorithm' => 'ed25519-sha256'],
];
$needle = 'dkim-' . bin2hex(random_bytes(6));
smtpx_send(['from' => 'Site <site@good.example>', 'to' => 'ann@example.net', 'subject' => "Grüße $needle",
            'text' => "Hello  \t $needle\n\n\n", 'html' => "<p>Hello</p>",
            'attachments' => [['data' => random_bytes(3_000_000), 'name' => 'big.bin']]],
           smtpx_test_transport('plain', ['dkim' => $dkim]));
verify(smtpx_test_fetch_delivered($needle), $dir);

$needle = 'raw-' . bin2hex(random_bytes(6));
$mime = "From: site@good.example\r\nTo: ann@example.net\r\nSubject: $needle\r\nDate: Wed, 02 Dec 2026 12:00:00 +0000\r\n"
    . "Message-ID: <$needle@good.example>\r\n\r\nraw body\r\n";
smtpx_send_raw('site@good.example', ['ann@example.net'], $mime, smtpx_test_transport('plain', ['dkim' => $dkim[0]]));
$delivered = smtpx_test_fetch_delivered($needle);
verify($delivered, $dir);

// Already signed with this domain and selector (the plugin's path through PHPMailer): not signed again.
$needle = 'twice-' . bin2hex(random_bytes(6));
// The delivered copy, as a caller would hand it on: LF made CRLF, the headers Postfix added removed.
$resigned = preg_replace('/^(Return-Path|Delivered-To|Received):.*\r\n(\s.*\r\n)*/m', '',
                         str_replace("\n", "\r\n", preg_replace('/^Subject: .*$/m', "Subject: $needle", $delivered)));
smtpx_send_raw('site@good.example', ['ann@example.net'], $resigned, smtpx_test_transport('plain', ['dkim' => $dkim[0]]));
echo 'signatures after a second pass: ', substr_count(smtpx_test_fetch_delivered($needle), "DKIM-Signature:"), "\n";

foreach ([['private_key' => "$dir/weak.pem"], ['private_key' => "$dir/locked.pem"],
          ['private_key' => "$dir/locked.pem", 'passphrase' => 'sesame'], ['private_key' => "$dir/nothing.pem"],
          ['private_key' => smtpx_test_dkim_key('ed2026')], ['selector' => 'has space']] as $change) {
    try {
        smtpx_send(['from' => 'site@good.example', 'to' => 'ann@example.net', 'subject' => 'k', 'text' => 'x'],
                   smtpx_test_transport('plain', ['dkim' => $change + $dkim[0]]));
        echo "sent\n";
    } catch (ValueError $e) {
        echo str_replace($dir, 'DIR', $e->getMessage()), "\n";
    }
}
?>
--EXPECT--
dkimpy: d=good.example s=ed2026 a=ed25519-sha256 ok
dkimpy: d=good.example s=rsa2026 a=rsa-sha256 ok
dkimpy: d=good.example s=rsa2026 a=rsa-sha256 ok
signatures after a second pass: 1
smtpx_send(): Argument #2 ($transport) transport.dkim.private_key: is an RSA key of 512 bits; verifiers need at least 1024 (2048 recommended)
smtpx_send(): Argument #2 ($transport) transport.dkim.private_key: is encrypted: give its passphrase (dkim.passphrase)
sent
smtpx_send(): Argument #2 ($transport) transport.dkim.private_key: is neither a PEM key nor a readable file: DIR/nothing.pem
smtpx_send(): Argument #2 ($transport) transport.dkim.private_key: is not an RSA key, as algorithm rsa-sha256 needs
smtpx_send(): Argument #2 ($transport) transport.dkim.selector: must be the selector of the published key, e.g. mail2026
