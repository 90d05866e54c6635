--TEST--
smtpx_probe() reports HTTPS reachability of the API a send would use: the transport's own, or its fallback's (TLS verified and its version, nothing POSTed)
--CONFLICTS--
all
--SKIPIF--
<?php require __DIR__ . '/../inc/harness.inc'; smtpx_test_skip_unless_peers(); smtpx_test_skip_unless_api(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$mark = smtpx_test_api_log_mark();
$report = smtpx_probe(smtpx_test_api_transport('postmark'));
echo $report['api']['transport'], ' reachable=', var_export($report['api']['reachable'], true),
    ' tls=', $report['api']['tls'], ' ports=', count($report['ports']), "\n";
$report = smtpx_probe(smtpx_test_transport('plain', ['fallback' => smtpx_test_api_transport('sendgrid')]));
echo $report['api']['transport'], ' reachable=', var_export($report['api']['reachable'], true), ' ports=',
    count($report['ports']), "\n";
$untrusted = smtpx_test_api_transport('brevo');
unset($untrusted['cafile']);
$report = smtpx_probe($untrusted);
echo $report['api']['transport'], ' reachable=', var_export($report['api']['reachable'], true), "\n  ", $report['api']['error'], "\n";
var_dump(smtpx_probe(smtpx_test_transport('plain'))['api']);
// Run alone (--CONFLICTS--): the probe sends nothing to match on, so any POST would be another test's.
echo 'requests POSTed: ', count(array_filter(smtpx_test_api_log_since($mark), fn ($e) => $e['method'] === 'POST'
    && in_array($e['provider'], ['postmark', 'brevo'], true))), "\n";
?>
--EXPECTF--
postmark+api reachable=true tls=TLSv1.3 ports=0
sendgrid+api reachable=true ports=1
brevo+api reachable=false
  the certificate of 127.0.0.1:10443 was refused (%s): set cafile to its CA when a proxy or a test server presents its own
NULL
requests POSTed: 0
