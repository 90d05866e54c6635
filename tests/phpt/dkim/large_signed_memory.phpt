--TEST--
DKIM: a 25 MB attachment is signed (RSA and Ed25519) under memory_limit=32M with PHP's peak memory as small as unsigned, and OpenDKIM and dkimpy both verify the delivered 34 MB copy
--SKIPIF--
<?php
require __DIR__ . '/../inc/harness.inc';
smtpx_test_skip_unless_peers();
smtpx_test_skip_unless_dkim_peers();
if (smtpx_test_under_valgrind()) {
    die("skip 25 MB through valgrind takes too long\n");
}
?>
--INI--
memory_limit=32M
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$dir = sys_get_temp_dir() . '/smtpx-dkim-large-' . bin2hex(random_bytes(4));
mkdir($dir, 0700);
register_shutdown_function(fn () => exec('rm -rf ' . escapeshellarg($dir)));
$path = "$dir/archive.bin";
// Written in 1 MB pieces: the file must never be in PHP's memory as a whole.
$out = fopen($path, 'wb');
for ($i = 0; $i < 25; $i++) {
    fwrite($out, random_bytes(1 << 20));
}
fclose($out);

$needle = 'large-' . bin2hex(random_bytes(6));
$before = memory_get_peak_usage();
smtpx_send(['from' => 'site@good.example', 'to' => 'ann@example.net', 'subject' => $needle,
            'text' => "A large file.\n", 'attachments' => [$path]],
           smtpx_test_transport('dkim_verify', ['timeout' => 60.0, 'dkim' => [
               ['domain' => 'good.example', 'selector' => 'rsa2026', 'private_key' => smtpx_test_dkim_key('rsa2026')],
               ['domain' => 'good.example', 'selector' => 'ed2026', 'private_key' => smtpx_test_dkim_key('ed2026'),
                'algorithm' => 'ed25519-sha256']]]));
$growth = memory_get_peak_usage() - $before;

$copy = smtpx_test_delivered_file($needle, 60.0);
var_dump(filesize($copy) > 33 * 1000 * 1000);
echo smtpx_test_dkim_verdicts($copy);
// Other tests scan the whole maildir: do not leave them 34 MB more to read.
unlink($copy);
var_dump($growth < 2 * 1024 * 1024);
?>
--EXPECT--
bool(true)
opendkim: dkim=pass header.d=good.example header.a=ed25519-sha256 header.s=ed2026
opendkim: dkim=pass header.d=good.example header.a=rsa-sha256 header.s=rsa2026
dkimpy: d=good.example s=ed2026 a=ed25519-sha256 ok
dkimpy: d=good.example s=rsa2026 a=rsa-sha256 ok
bool(true)
