--TEST--
A server without PIPELINING or CHUNKING (aiosmtpd) gets one command at a time and DATA
--SKIPIF--
<?php require __DIR__ . '/../inc/harness.inc'; smtpx_test_skip_unless_peers(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = smtpx_test_start_aiosmtpd();
$r = smtpx_send(['from' => 'a@example.com', 'to' => ['b@example.com', 'c@example.com'], 'subject' => 'lockstep',
                 'text' => ".leading dot\n..two dots\nend"],
    ['host' => '127.0.0.1', 'port' => $server['port'], 'tls' => 'none', 'timeout' => 5, 'debug' => true]);
$lines = explode("\n", trim($r['transcript']));
$order = array_values(array_filter(array_map(fn($l) => substr($l, 0, 7), $lines),
    fn($p) => in_array($p, ['C: MAIL', 'C: RCPT', 'C: DATA', 'S: 250 ', 'S: 354 '], true)));
echo implode(' | ', $order), "\n";
var_dump(str_contains($r['transcript'], 'BDAT'));
$files = glob($server['dir'] . '/*');
$mail = smtpx_test_parse_email(file_get_contents($files[0]));
var_dump(str_replace("\r\n", "\n", $mail['text']));
?>
--EXPECT--
S: 250  | C: MAIL | S: 250  | C: RCPT | S: 250  | C: RCPT | S: 250  | C: DATA | S: 354  | S: 250 
bool(false)
string(28) ".leading dot
..two dots
end
"
