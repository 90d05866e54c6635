--TEST--
phpinfo() shows the smtpx settings with the DSN password masked; ini_get() returns the value as set
--EXTENSIONS--
smtpx
--INI--
pcre.jit=0
smtpx.dsn="smtp://postmaster%40example.com:wonderland-42@mail.example.com:587?timeout=5"
smtpx.timeout=12.5
smtpx.helo=web1.example.com
--FILE--
<?php
ini_set('smtpx.dsn', 'smtps://bob:p@ss/w0rd?@mail.example.com');

ob_start();
phpinfo(INFO_MODULES);
$info = ob_get_clean();
// The module's own table, and the rows of the settings this test is about.
$section = substr($info, strpos($info, 'smtpx support'));
foreach (explode("\n", str_replace(PHP_EOL, "\n", $section)) as $line) {
    if (preg_match('/^(smtpx support|Version|OpenSSL|smtpx\.(cafile|dsn|helo|timeout)) =>/', $line)) {
        echo preg_replace('/^(OpenSSL|Version) => .*$/', '$1 => ...', $line), "\n";
    }
}
var_dump(str_contains($info, 'wonderland'), str_contains($info, 'w0rd'));
var_dump(ini_get('smtpx.dsn'));
var_dump(str_contains(var_export(ini_get_all('smtpx'), true), 'w0rd'));
?>
--EXPECT--
smtpx support => enabled
Version => ...
OpenSSL => ...
smtpx.cafile => no value => no value
smtpx.dsn => smtps://bob:********@mail.example.com => smtp://postmaster%40example.com:********@mail.example.com:587?timeout=5
smtpx.helo => web1.example.com => web1.example.com
smtpx.timeout => 12.5 => 12.5
bool(false)
bool(false)
string(39) "smtps://bob:p@ss/w0rd?@mail.example.com"
bool(true)
