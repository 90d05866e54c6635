--TEST--
smtpx_domain_check() for a server of one's own: each address of the transport's host, its PTR, and whether the PTR name resolves back (forward-confirmed); no PTR, an unconfirmed one and a private address each say what to do; a provider's host is not checked
--SKIPIF--
<?php require __DIR__ . '/../inc/harness.inc'; smtpx_test_skip_unless_dkim_peers(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$options = ['nameserver' => smtpx_test_nameserver()];
foreach (['mail.selfhosted.example', 'mail.noptr.example', 'mail.badptr.example', 'mail.nowhere.example', '10.1.2.3'] as $host) {
    $report = smtpx_domain_check('selfhosted.example', "smtp://u:p@$host:587", $options);
    echo $report['server'], ' ', json_encode($report['reverse_dns']), "\n";
    foreach ($report['findings'] as $finding) {
        if ($finding['check'] === 'reverse_dns') {
            echo "  {$finding['severity']}: {$finding['message']}\n";
            if ($finding['record'] !== null) echo "    publish: {$finding['record']}\n";
        }
    }
}
$report = smtpx_domain_check('selfhosted.example', 'smtp://apikey:SG.x@smtp.sendgrid.net:587', $options);
echo 'provider: server "', $report['server'], '", ', count($report['reverse_dns']), " addresses\n";
?>
--EXPECT--
mail.selfhosted.example [{"address":"192.0.2.10","ptr":"mail.selfhosted.example","confirmed":true}]
  ok: The reverse DNS of 192.0.2.10 is mail.selfhosted.example, which resolves back to it.
mail.noptr.example [{"address":"192.0.2.11","ptr":"","confirmed":false}]
  error: The address 192.0.2.11 of mail.noptr.example has no reverse DNS (PTR): ask whoever runs the address (the hosting provider) to set it to mail.noptr.example.
    publish: 11.2.0.192.in-addr.arpa PTR mail.noptr.example.
mail.badptr.example [{"address":"192.0.2.12","ptr":"mail.elsewhere.example","confirmed":false}]
  error: The reverse DNS of 192.0.2.12 is mail.elsewhere.example, which does not resolve back to it (not forward-confirmed): point the PTR at a name with this address, or add the address to mail.elsewhere.example.
    publish: 12.2.0.192.in-addr.arpa PTR mail.badptr.example.
mail.nowhere.example []
  warning: mail.nowhere.example has no address in the DNS, so its reverse DNS cannot be checked.
10.1.2.3 [{"address":"10.1.2.3","ptr":"","confirmed":false}]
  info: 10.1.2.3 is at the private address 10.1.2.3: receivers see the public address it sends from; check that one's reverse DNS.
provider: server "", 0 addresses
