--TEST--
smtpx_probe() tells a port that expects implicit TLS probed as STARTTLS (silent in clear text, greets after a handshake), and a STARTTLS port listed as /tls, instead of "did not answer in time"
--SKIPIF--
<?php require __DIR__ . '/../inc/harness.inc'; smtpx_test_skip_unless_peers(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$base = ['host' => '127.0.0.1', 'cafile' => smtpx_test_peers_dir() . '/ca.pem', 'reply_timeout' => 1.5, 'timeout' => 10];
foreach (['10465/starttls', '10587/tls'] as $port) {
    $report = smtpx_probe($base + ['ports' => [$port]]);
    $probe = $report['ports'][0];
    echo "$port: usable=", var_export($probe['usable'], true), ' other=', $probe['other_tls_mode'] ?? '-', "\n  ",
        $probe['error'], "\n";
}
?>
--EXPECT--
10465/starttls: usable=false other=10465/tls
  this port expects implicit TLS (it says nothing in clear text and greets after a TLS handshake): use 10465/tls
10587/tls: usable=false other=10587/starttls
  this port speaks STARTTLS (it greets in clear text): use 10587/starttls
