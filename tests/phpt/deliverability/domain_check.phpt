--TEST--
smtpx_domain_check() against the harness DNS (NSD): SPF (followed through includes, lookups counted, the provider authorized or not), the DKIM selector's key against the transport's, DMARC (policy, alignment with the signing domain) and MX, each finding with the record to publish
--SKIPIF--
<?php require __DIR__ . '/../inc/harness.inc'; smtpx_test_skip_unless_dkim_peers(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$options = ['nameserver' => smtpx_test_nameserver()];

function show(array $report): void
{
    echo $report['domain'], ': spf lookups ', $report['spf_lookups'], ', provider ', $report['provider_include'] ?: '-', "\n";
    foreach ($report['findings'] as $finding) {
        echo "  {$finding['check']} {$finding['severity']}: {$finding['message']}\n";
        if ($finding['record'] !== null) echo "    publish: {$finding['record']}\n";
    }
}

function sendgrid(string $domain, string $key = 'ed2026', string $selector = 'ed2026'): array
{
    return ['host' => 'smtp.sendgrid.net', 'username' => 'apikey', 'password' => 'SG.x',
            'dkim' => ['domain' => $domain, 'selector' => $selector, 'private_key' => smtpx_test_dkim_key($key),
                       'algorithm' => $key === 'ed2026' ? 'ed25519-sha256' : 'rsa-sha256']];
}

$good = smtpx_domain_check('good.example', sendgrid('good.example'), $options);
show($good);
echo 'dkim record: ', substr($good['dkim'][0], 0, 22), "...\nmx: ", json_encode($good['mx']), "\n";
show(smtpx_domain_check('bare.example', sendgrid('bare.example'), $options));
show(smtpx_domain_check('heavy.example', null, $options));
show(smtpx_domain_check('nospf.example', 'smtp://u:p@smtp.gmail.com:587', $options));
show(smtpx_domain_check('missing.example', 'smtp://u:p@smtp.gmail.com:587', $options));
show(smtpx_domain_check('wrongkey.example', sendgrid('wrongkey.example', 'rsa2026', 'rsa2026'), $options));
// Mail From strict.example signed d=good.example: DMARC p=reject does not let it through.
show(smtpx_domain_check('strict.example', sendgrid('good.example'), $options));
show(smtpx_domain_check('nomx.example', sendgrid('nomx.example', 'rsa2026', 'rsa2026'), $options));
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
dkim record: v=DKIM1; k=ed25519; p=...
mx: [{"preference":10,"host":"mx.good.example"}]
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
nospf.example: spf lookups 0, provider _spf.google.com
  spf error: nospf.example publishes no SPF record, so receivers cannot tell which servers may send its mail.
    publish: nospf.example TXT "v=spf1 include:_spf.google.com ~all"
  dkim info: %s
  dmarc info: DMARC only monitors (p=none); once reports show only your own mail, move to p=quarantine.
  mx ok: nospf.example receives mail (MX mx.nospf.example).
missing.example: spf lookups 0, provider _spf.google.com
  spf error: missing.example publishes no SPF record, so receivers cannot tell which servers may send its mail.
    publish: missing.example TXT "v=spf1 include:_spf.google.com ~all"
  dkim info: %s
  dmarc warning: %s
    publish: _dmarc.missing.example TXT "v=DMARC1; p=none; rua=mailto:dmarc-reports@missing.example"
  mx warning: %s
wrongkey.example: spf lookups 1, provider sendgrid.net
  spf ok: SPF authorizes the provider (sendgrid.net).
  dkim error: The key published at rsa2026._domainkey.wrongkey.example is not the one smtpx signs with: publish this one (or set the matching key).
    publish: rsa2026._domainkey.wrongkey.example TXT "v=DKIM1; k=rsa; p=%s"
  dmarc ok: DMARC policy p=quarantine.
  mx ok: wrongkey.example receives mail (MX mx.wrongkey.example).
strict.example: spf lookups 1, provider sendgrid.net
  spf ok: SPF authorizes the provider (sendgrid.net).
  dkim ok: The DKIM key at ed2026._domainkey.good.example matches the signing key.
  dmarc ok: DMARC policy p=reject.
  dmarc error: DMARC p=reject asks receivers to refuse mail from strict.example that no aligned domain authenticates, and smtpx signs with d=good.example, which does not align: sign with dkim.domain strict.example and publish its key.
  mx ok: strict.example receives mail (MX mx.strict.example).
nomx.example: spf lookups 1, provider sendgrid.net
  spf ok: SPF authorizes the provider (sendgrid.net).
  dkim ok: The DKIM key at rsa2026._domainkey.nomx.example matches the signing key.
  dmarc info: DMARC only monitors (p=none); once reports show only your own mail, move to p=quarantine.
  mx warning: nomx.example has no MX record: replies and bounces to it cannot be delivered, and some receivers distrust such senders.
smtpx_domain_check(): Argument #1 ($domain) domain: must be a domain name such as example.com (punycode for IDNs)
smtpx_domain_check(): Argument #1 ($domain) domain: must be a domain name such as example.com (punycode for IDNs)
smtpx_domain_check(): Argument #3 ($options) options.nameserver: must be an IPv4 address, optionally with :port, e.g. 127.0.0.1:5353
