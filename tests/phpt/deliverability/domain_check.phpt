--TEST--
smtpx_domain_check(): SPF (followed through includes, lookups counted, the provider authorized or not), the DKIM selector's key against the transport's, DMARC and MX, each finding with the record to publish; asked of a test nameserver
--SKIPIF--
<?php require __DIR__ . '/../inc/harness.inc'; ?>
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$dir = sys_get_temp_dir() . '/smtpx-dns-' . bin2hex(random_bytes(4));
mkdir($dir, 0700);
register_shutdown_function(fn () => exec('rm -rf ' . escapeshellarg($dir)));
exec("openssl genpkey -algorithm ED25519 -out $dir/ed.pem 2>/dev/null");
$public = base64_encode(substr(shell_exec("openssl pkey -in $dir/ed.pem -pubout -outform DER 2>/dev/null"), -32));

$zone = [
    'good.example' => ['TXT' => ['v=spf1 include:_spf.good.example ~all', 'google-site-verification=x'],
                       'MX' => [[10, 'mx.good.example']]],
    '_spf.good.example' => ['TXT' => ['v=spf1 include:sendgrid.net -all']],
    'sendgrid.net' => ['TXT' => ['v=spf1 ip4:167.89.0.0/17 -all']],
    'ed2026._domainkey.good.example' => ['TXT' => ["v=DKIM1; k=ed25519; p=$public"]],
    '_dmarc.good.example' => ['TXT' => ['v=DMARC1; p=reject; rua=mailto:d@good.example']],
    'bare.example' => ['TXT' => ['v=spf1 include:mailgun.org -all']],
    'heavy.example' => ['TXT' => ['v=spf1 ' . implode(' ', array_map(fn ($i) => "include:i$i.example", range(1, 6))) . ' mx a ptr exists:x.example ip4:192.0.2.1 ~all']],
];
for ($i = 1; $i <= 6; $i++) {
    $zone["i$i.example"] = ['TXT' => ['v=spf1 a -all']];
}
file_put_contents("$dir/zone.json", json_encode($zone));
$port = smtpx_test_free_udp_port();
smtpx_test_spawn(['/usr/bin/python3', smtpx_test_root() . '/tests/peers/dns_server.py', (string) $port, "$dir/zone.json"], "$dir/dns.log");
usleep(300000);
$options = ['nameserver' => "127.0.0.1:$port"];

function show(array $report): void
{
    echo $report['domain'], ': spf lookups ', $report['spf_lookups'], ', provider ', $report['provider_include'] ?: '-', "\n";
    foreach ($report['findings'] as $finding) {
        echo "  {$finding['check']} {$finding['severity']}: {$finding['message']}\n";
        if ($finding['record'] !== null) echo "    publish: {$finding['record']}\n";
    }
}

$sendgrid = ['host' => 'smtp.sendgrid.net', 'username' => 'apikey', 'password' => 'SG.x',
             'dkim' => ['domain' => 'good.example', 'selector' => 'ed2026', 'algorithm' => 'ed25519-sha256',
                        'private_key' => "$dir/ed.pem"]];
show(smtpx_domain_check('good.example', $sendgrid, $options));
show(smtpx_domain_check('bare.example', ['host' => 'smtp.sendgrid.net', 'username' => 'apikey', 'password' => 'SG.x',
                                         'dkim' => ['domain' => 'bare.example', 'selector' => 'ed2026',
                                                    'algorithm' => 'ed25519-sha256', 'private_key' => "$dir/ed.pem"]], $options));
show(smtpx_domain_check('heavy.example', null, $options));
show(smtpx_domain_check('missing.example', 'smtp://u:p@smtp.gmail.com:587', $options));
foreach (['not a domain', 'localhost'] as $domain) {
    try {
        smtpx_domain_check($domain, null, $options);
    } catch (ValueError $e) {
        echo $e->getMessage(), "\n";
    }
}
try {
    smtpx_domain_check('good.example', null, ['nameserver' => 'dns.example']);
} catch (ValueError $e) {
    echo $e->getMessage(), "\n";
}
?>
--EXPECTF--
good.example: spf lookups 2, provider sendgrid.net
  spf ok: SPF authorizes the provider (sendgrid.net).
  dkim ok: The DKIM key at ed2026._domainkey.good.example matches the signing key.
  dmarc ok: DMARC policy p=reject.
  mx ok: good.example receives mail (MX mx.good.example).
bare.example: spf lookups 1, provider sendgrid.net
  spf error: SPF does not authorize the provider this site sends through: add include:sendgrid.net.
    publish: bare.example TXT "v=spf1 include:mailgun.org include:sendgrid.net -all"
  dkim error: No DKIM key is published at ed2026._domainkey.bare.example, so the signatures cannot be checked.
    publish: ed2026._domainkey.bare.example TXT "v=DKIM1; k=ed25519; p=%s"
  dmarc warning: bare.example publishes no DMARC policy: Gmail and Yahoo require one from bulk senders, and without it nobody tells you about forged mail.
    publish: _dmarc.bare.example TXT "v=DMARC1; p=none; rua=mailto:dmarc-reports@bare.example"
  mx warning: bare.example has no MX record: replies and bounces to it cannot be delivered, and some receivers distrust such senders.
heavy.example: spf lookups 15, provider -
  spf error: SPF takes 15 DNS lookups and receivers stop at 10 (a permanent error): remove includes no longer used or replace some by ip4:/ip6: ranges.
  dkim info: smtpx signs with no DKIM key of its own here: make sure the provider signs for heavy.example (its domain authentication), or set dkim.
  dmarc warning: %s
    publish: _dmarc.heavy.example TXT "v=DMARC1; p=none; rua=mailto:dmarc-reports@heavy.example"
  mx warning: %s
missing.example: spf lookups 0, provider _spf.google.com
  spf error: missing.example publishes no SPF record, so receivers cannot tell which servers may send its mail.
    publish: missing.example TXT "v=spf1 include:_spf.google.com ~all"
  dkim info: %s
  dmarc warning: %s
    publish: _dmarc.missing.example TXT "v=DMARC1; p=none; rua=mailto:dmarc-reports@missing.example"
  mx warning: %s
smtpx_domain_check(): Argument #1 ($domain) domain: must be a domain name such as example.com (punycode for IDNs)
smtpx_domain_check(): Argument #1 ($domain) domain: must be a domain name such as example.com (punycode for IDNs)
smtpx_domain_check(): Argument #3 ($options) options.nameserver: must be an IPv4 address, optionally with :port, e.g. 127.0.0.1:5353
