--TEST--
smtpx_probe() measures each port of the harness and recommends the one where every step passes
--SKIPIF--
<?php require __DIR__ . '/../inc/harness.inc'; smtpx_test_skip_unless_peers(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$transport = smtpx_test_transport('submission');
unset($transport['port']);
$transport['ports'] = [10026, 10588, '10465/tls', 10587];
$report = smtpx_probe($transport);
echo "recommended: ", json_encode($report['recommended']), "\n";
foreach ($report['ports'] as $port) {
    printf("%d %s connected=%s usable=%s phase=%s auth=%s tls=%s verified=%s\n", $port['port'], $port['tls'],
        json_encode($port['connected']), json_encode($port['usable']), json_encode($port['failed_phase']),
        json_encode($port['auth_succeeded']), $port['tls_info']['version'] ?? '-',
        json_encode($port['tls_info']['verified'] ?? null));
}
$wrong = $report['ports'][1];
echo $wrong['tls_info']['subject'], " / ", $wrong['tls_info']['issuer'], "\n";
echo json_encode($report['ports'][3]['auth']), "\n";
var_dump(in_array('PIPELINING', $report['ports'][3]['extensions'], true));
var_dump(str_starts_with($report['ports'][3]['greeting'], '220 '));
// A wrong password: the port answers, AUTH fails, nothing is recommended.
$bad = smtpx_probe(['ports' => [10587], 'password' => 'wrong'] + $transport);
echo json_encode($bad['recommended']), " auth=", json_encode($bad['ports'][0]['auth_succeeded']),
    " phase=", $bad['ports'][0]['failed_phase'], "\n";
?>
--EXPECT--
recommended: {"port":10465,"tls":"implicit"}
10026 starttls connected=true usable=false phase="tls" auth=null tls=- verified=null
10588 starttls connected=true usable=false phase="tls" auth=null tls=TLSv1.3 verified=false
10465 implicit connected=true usable=true phase=null auth=true tls=TLSv1.3 verified=true
10587 starttls connected=true usable=true phase=null auth=true tls=TLSv1.3 verified=true
CN = wrong.example / CN = smtpx test CA
["PLAIN","LOGIN"]
bool(true)
bool(true)
null auth=false phase=auth
