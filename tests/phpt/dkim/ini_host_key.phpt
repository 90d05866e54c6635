--TEST--
DKIM from php.ini (smtpx.dkim_domain, _selector, _private_key, _algorithm): the host's key signs mail From its domain or a subdomain, composed or raw, and nothing else; a transport's own dkim wins; phpinfo() shows the key's path only; a key pasted into php.ini or one that cannot be read is a ValueError naming smtpx.dkim_private_key
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
// PHP_INI_SYSTEM settings: each case runs in a PHP of its own with them given by -d.
function with_host_key(string $private_key, string $code): void
{
    preg_match('~\S*/smtpx\.so$~m', file_get_contents('/proc/self/maps'), $found)
        or throw new RuntimeException('smtpx.so is not loaded');
    $script = tempnam(sys_get_temp_dir(), 'smtpx-ini-');
    file_put_contents($script, "<?php\nrequire " . var_export(__DIR__ . '/../inc/harness.inc', true) . ";\n$code");
    $command = [PHP_BINARY, '-n', '-d', "extension={$found[0]}", '-d', 'smtpx.dkim_domain=good.example',
                '-d', 'smtpx.dkim_selector=rsa2026', '-d', "smtpx.dkim_private_key=$private_key",
                '-d', 'smtpx.dkim_algorithm=rsa-sha256', $script];
    $process = proc_open($command, [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
    echo stream_get_contents($pipes[1]), stream_get_contents($pipes[2]);
    proc_close($process);
    unlink($script);
}

with_host_key(smtpx_test_dkim_key('rsa2026'), <<<'PHP'
function send(string $from, array $extra = []): void
{
    $needle = 'ini-' . bin2hex(random_bytes(6));
    smtpx_send(['from' => $from, 'to' => 'ann@example.net', 'subject' => $needle, 'text' => "Hello\n"],
               smtpx_test_transport('dkim_verify', $extra));
    $copy = smtpx_test_delivered_file($needle);
    echo "$from:\n", preg_replace('/^/m', '  ', smtpx_test_dkim_verdicts($copy));
}
send('site@good.example');
send('news@mail.good.example');
send('someone@other.example');
send('someone@notgood.example');
send('site@good.example', ['dkim' => ['domain' => 'good.example', 'selector' => 'ed2026',
                                      'private_key' => smtpx_test_dkim_key('ed2026'), 'algorithm' => 'ed25519-sha256']]);
$needle = 'ini-raw-' . bin2hex(random_bytes(6));
smtpx_send_raw('bounce@example.net', ['ann@example.net'],
               "From: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?=\r\n <site@good.example>\r\nTo: ann@example.net\r\nSubject: $needle\r\n\r\nraw\r\n",
               smtpx_test_transport('dkim_verify'));
echo "raw From site@good.example:\n", preg_replace('/^/m', '  ', smtpx_test_dkim_verdicts(smtpx_test_delivered_file($needle)));
ob_start();
phpinfo(INFO_MODULES);
preg_match('/^smtpx\.dkim_private_key => (.*)$/m', ob_get_clean(), $row);
echo 'phpinfo: ', str_replace(smtpx_test_peers_dir(), 'PEERS', $row[1]), "\n";
PHP);

$attempt = <<<'PHP'
try {
    smtpx_send(['from' => 'site@good.example', 'to' => 'ann@example.net', 'subject' => 'x', 'text' => 'x'],
               smtpx_test_transport('dkim_verify'));
    echo "sent\n";
} catch (ValueError $e) {
    echo str_replace(smtpx_test_peers_dir(), 'PEERS', $e->getMessage()), "\n";
}
ob_start();
phpinfo(INFO_MODULES);
preg_match('/^smtpx\.dkim_private_key => (.*)$/m', ob_get_clean(), $row);
echo 'phpinfo: ', str_replace(smtpx_test_peers_dir(), 'PEERS', $row[1]), "\n";
PHP;
with_host_key(file_get_contents(smtpx_test_dkim_key('ed2026')), $attempt);
with_host_key(smtpx_test_peers_dir() . '/dkim/missing.pem', $attempt);
?>
--EXPECT--
site@good.example:
  opendkim: dkim=pass header.d=good.example header.a=rsa-sha256 header.s=rsa2026
  dkimpy: d=good.example s=rsa2026 a=rsa-sha256 ok
news@mail.good.example:
  opendkim: dkim=pass header.d=good.example header.a=rsa-sha256 header.s=rsa2026
  dkimpy: d=good.example s=rsa2026 a=rsa-sha256 ok
someone@other.example:
  opendkim: dkim=none
someone@notgood.example:
  opendkim: dkim=none
site@good.example:
  opendkim: dkim=pass header.d=good.example header.a=ed25519-sha256 header.s=ed2026
  dkimpy: d=good.example s=ed2026 a=ed25519-sha256 ok
raw From site@good.example:
  opendkim: dkim=pass header.d=good.example header.a=rsa-sha256 header.s=rsa2026
  dkimpy: d=good.example s=rsa2026 a=rsa-sha256 ok
phpinfo: PEERS/dkim/rsa2026.pem => PEERS/dkim/rsa2026.pem
smtpx_send(): Argument #2 ($transport) smtpx.dkim_private_key: must be the path of a PEM file, not the key itself: php.ini is readable by every site
phpinfo: (a PEM key, not shown: give the path of its file) => (a PEM key, not shown: give the path of its file)
smtpx_send(): Argument #2 ($transport) smtpx.dkim_private_key: is neither a PEM key nor a readable file: PEERS/dkim/missing.pem
phpinfo: PEERS/dkim/missing.pem => PEERS/dkim/missing.pem
