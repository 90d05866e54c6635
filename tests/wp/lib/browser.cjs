// Logs in to the test WordPress in headless chromium, configures smtpx on its
// settings page, sends a test email, sees the result and the Ports panel, generates a
// DKIM key and verifies its record (served by a DNS server of the test's own), checks
// the domain, and keeps screenshots. Prints "ok N - name" / "not ok N - name".
'use strict';
const { execFileSync, spawn } = require('child_process');
const dgram = require('dgram');
const fs = require('fs');
const path = require('path');
const { state, base, artifacts, ok, deliveredTo, withAdminPage, fillOtherSmtp, sendTestEmail, run } = require('./browser-common.cjs');

// tests/peers/dns_server.py on a free loopback UDP port, answering from zoneFile; PHP-FPM's
// WordPress asks it while $state/dns-nameserver names it (tests/wp/run's wp-config).
async function startDns(zoneFile) {
  const socket = dgram.createSocket('udp4');
  await new Promise((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  socket.close();
  fs.writeFileSync(zoneFile, '{}');
  const server = spawn('/usr/bin/python3', [path.join(__dirname, '../../peers/dns_server.py'), String(port), zoneFile],
    { stdio: 'ignore' });
  fs.writeFileSync(path.join(state, 'dns-nameserver'), `127.0.0.1:${port}`);
  await new Promise((resolve) => setTimeout(resolve, 500));
  return server;
}

async function main() {
  await withAdminPage(async (page) => {
    await page.goto(`${base}/wp-admin/options-general.php?page=smtpx`);
    ok((await page.textContent('h1')).trim() === 'smtpx', 'Settings > smtpx opens');
    await page.screenshot({ path: path.join(artifacts, 'settings-initial.png'), fullPage: true });

    const form = '#smtpx-settings-form';
    await page.selectOption('#smtpx_primary_preset', 'ses');
    ok(await page.isVisible('#smtpx_primary_region') && !(await page.isVisible('#smtpx_primary_host')),
      'Amazon SES asks for the region, not the host');
    ok(await page.isVisible('#smtpx_primary_transport') && await page.isVisible('#smtpx_primary_api_key')
      && (await page.textContent('tr:has(#smtpx_primary_transport) p.description')).includes('blocks every SMTP port')
      && (await page.textContent('tr:has(#smtpx_primary_api_key) p.description')).includes('secret access key'),
      'Amazon SES offers SMTP or its HTTPS API, and over SMTP the optional API key, each explained');
    await page.selectOption('#smtpx_primary_transport', 'api');
    ok(!(await page.isVisible('#smtpx_primary_ports')) && !(await page.isVisible('#smtpx_primary_api_key'))
      && (await page.textContent('tr:has(#smtpx_primary_username) p.description')).includes('access key ID'),
      'over the SES API: no ports, no fallback key, the user name is the access key ID');
    await page.screenshot({ path: path.join(artifacts, 'settings-ses-api.png'), fullPage: true });
    await page.selectOption('#smtpx_primary_transport', 'smtp');
    await page.selectOption('#smtpx_primary_preset', 'sendgrid');
    ok(!(await page.isVisible('#smtpx_primary_username'))
      && (await page.textContent('tr:has(#smtpx_primary_password) p.description')).includes('Mail Send'),
      'SendGrid needs no user name and explains its key');
    ok(await page.isVisible('#smtpx_primary_transport') && !(await page.isVisible('#smtpx_primary_api_key'))
      && (await page.textContent('tr:has(#smtpx_primary_transport) p.description')).includes('with the same key'),
      'SendGrid offers SMTP or its HTTPS API, and asks no fallback key (its SMTP password is the API key)');
    ok((await page.textContent('tr:has(#smtpx_primary_ports) p.description')).includes('(587, 2525, 465/tls, 25)'),
      'the ports hint names SendGrid\'s ports');
    await page.screenshot({ path: path.join(artifacts, 'settings-sendgrid.png'), fullPage: true });
    await fillOtherSmtp(page, { ports: '10587', auth: 'password', username: 'alice', password: 'wonderland-42', from: 'site@example.com' });
    await Promise.all([page.waitForLoadState('load'), page.click(`${form} [type=submit]`)]);
    await page.waitForSelector('#smtpx_primary_host');
    ok(await page.isVisible('text=Settings saved.'), 'choosing a preset and saving works');
    ok((await page.inputValue('#smtpx_primary_host')) === '127.0.0.1', 'the host is saved');
    ok((await page.inputValue('#smtpx_primary_password')) === '', 'the password field comes back empty');
    ok((await page.getAttribute('#smtpx_primary_password', 'placeholder')) === 'Saved; leave empty to keep it',
      'the password field says a secret is saved');
    ok(!(await page.content()).includes('wonderland-42'), 'the page never contains the password');
    await page.screenshot({ path: path.join(artifacts, 'settings-saved.png'), fullPage: true });

    const sent = await sendTestEmail(page, 'browser', 'test-email-sent');
    ok(sent.result.includes(`Test email sent to ${sent.recipient}`) && sent.result.includes('port 10587'),
      'the test email result shows the port', sent.result);
    ok(sent.delivered, 'the test email is delivered');

    // The email log: a held message (sent, no reply came) is resent by hand.
    const held = `browser-held-${Date.now()}@example.com`;
    const phpArgs = fs.readFileSync(path.join(state, 'php-args'), 'utf8').split('\n').filter(Boolean);
    execFileSync('php', [...phpArgs, path.join(__dirname, 'held-message.php'), held, 'Held in the browser test']);
    await page.goto(`${base}/wp-admin/tools.php?page=smtpx-log&status=held`);
    const row = page.locator(`#smtpx-log-form tr:has-text("${held}")`);
    ok(await row.count() === 1 && (await row.textContent()).includes('Held: may have been delivered'),
      'Tools > Email log lists the held message');
    await page.screenshot({ path: path.join(artifacts, 'email-log-held.png'), fullPage: true });
    await Promise.all([page.waitForURL(/[?&]view=\d+/), row.locator('strong a').first().click()]);
    ok(await page.locator('iframe.smtpx-html[sandbox=""]').isVisible(), 'the message view shows the HTML in a sandboxed frame');
    await page.screenshot({ path: path.join(artifacts, 'email-log-message.png'), fullPage: true });
    await Promise.all([page.waitForURL(/done=resend/), page.click('a.page-title-action.smtpx-resend')]);
    ok((await page.textContent('.smtpx-log-done')).includes('1 message queued to be sent again'), 'Resend says it is queued');
    ok((await deliveredTo(held, 15000)) !== null, 'the resent message is delivered after the response');
    await page.goto(`${base}/wp-admin/tools.php?page=smtpx-log&s=${encodeURIComponent(held)}`);
    ok((await page.textContent(`#smtpx-log-form tr:has-text("${held}")`)).includes('Sent'), 'the log says sent');
    await page.screenshot({ path: path.join(artifacts, 'email-log-sent.png'), fullPage: true });
    await page.goto(`${base}/wp-admin/options-general.php?page=smtpx`);

    ok(await page.isVisible('#smtpx-ports'), 'the Ports panel is shown');
    if (await page.isVisible('form:has(input[value=smtpx_probe]) [type=submit]')) {
      // The probe's page comes back after a redirect: wait for its result, not for this page's load state.
      await page.click('form:has(input[value=smtpx_probe]) [type=submit]');
      const shown = await page.waitForSelector('table.smtpx-ports, .smtpx-settings .notice-error', { timeout: 30000 })
        .then(() => true, () => false);
      ok(shown, 'checking ports shows a result');
    }
    await page.locator('#smtpx-ports').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(artifacts, 'ports-panel.png') });
    if (await page.isVisible('table.smtpx-ports')) {
      await page.locator('table.smtpx-ports').screenshot({ path: path.join(artifacts, 'ports-table.png') });
    }

    // DKIM: generate a key, see the record, verify it before and after it is published.
    const zoneFile = path.join(state, 'browser-zone.json');
    const dns = await startDns(zoneFile);
    try {
      await page.goto(`${base}/wp-admin/options-general.php?page=smtpx`);
      // A key left by an earlier run that stopped halfway: the steps below start without one.
      if (await page.isVisible('.smtpx-dkim-remove-form')) {
        await Promise.all([page.waitForURL(/#smtpx-dkim$/), page.click('.smtpx-dkim-remove-form [type=submit]')]);
      }
      ok((await page.inputValue('#smtpx_dkim_domain')) === 'example.com', 'DKIM: the signing domain defaults to the From domain');
      await page.fill('#smtpx_dkim_selector', 'has space');
      await Promise.all([page.waitForURL(/#smtpx-dkim$/), page.click('#smtpx-dkim-generate-form [type=submit]')]);
      ok((await page.textContent('.smtpx-dkim-notice.notice-error')).includes('The selector must be letters, digits and hyphens')
        && await page.isVisible('#smtpx-dkim-generate-form'), 'DKIM: a bad selector makes no key, saying why');
      await page.selectOption('#smtpx_dkim_algorithm', 'rsa-sha256');
      await page.fill('#smtpx_dkim_selector', 'browser');
      await Promise.all([page.waitForURL(/#smtpx-dkim$/), page.click('#smtpx-dkim-generate-form [type=submit]')]);
      ok((await page.textContent('.smtpx-dkim-notice')).includes('A new DKIM key was made'), 'DKIM: Generate key makes one');
      const name = (await page.textContent('code.smtpx-dkim-name')).trim();
      const value = (await page.textContent('code.smtpx-dkim-value')).trim();
      ok(name === 'browser._domainkey.example.com' && /^v=DKIM1; k=rsa; p=MIIBIjAN[A-Za-z0-9+/=]+$/.test(value),
        'DKIM: the TXT record to publish is shown', `${name} ${value}`);
      ok(/^"[^"]{255}" "[^"]+"$/.test((await page.textContent('code.smtpx-dkim-strings')).trim()),
        'DKIM: and split into 255-byte strings');
      ok(!(await page.content()).includes('PRIVATE KEY'), 'DKIM: the private key is never shown');
      await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
      await page.click('tr:has(code.smtpx-dkim-value) button.smtpx-copy');
      ok((await page.evaluate(() => navigator.clipboard.readText())) === value, 'DKIM: Copy puts the exact record value on the clipboard');
      await Promise.all([page.waitForURL(/#smtpx-dkim$/), page.click('.smtpx-dkim-verify-form [type=submit]')]);
      ok((await page.textContent('table.smtpx-dkim-verified')).includes('No DKIM key is published at browser._domainkey.example.com'),
        'DKIM: Verify before publishing says the record is missing');
      fs.writeFileSync(zoneFile, JSON.stringify({ [name]: { TXT: [value] } }));
      await Promise.all([page.waitForURL(/#smtpx-dkim$/), page.click('.smtpx-dkim-verify-form [type=submit]')]);
      ok((await page.textContent('table.smtpx-dkim-verified')).includes('matches the signing key'),
        'DKIM: Verify after publishing finds it');
      await page.locator('#smtpx-dkim').scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(artifacts, 'dkim-verified.png'), fullPage: true });
      await Promise.all([page.waitForURL(/#smtpx-deliverability$/),
        page.click('form:has(input[value=smtpx_domain_check]) [type=submit]')]);
      const findings = (await page.textContent('table.smtpx-findings')) || '';
      ok(findings.includes('example.com publishes no SPF record') && findings.includes('matches the signing key'),
        'Deliverability: Check domain lists the findings', findings);
      await page.locator('table.smtpx-findings').screenshot({ path: path.join(artifacts, 'deliverability.png') });
      await Promise.all([page.waitForURL(/#smtpx-dkim$/), page.click('.smtpx-dkim-remove-form [type=submit]')]);
      ok(await page.isVisible('#smtpx-dkim-generate-form'), 'DKIM: Remove key takes it away');
    } finally {
      fs.rmSync(path.join(state, 'dns-nameserver'), { force: true });
      dns.kill();
    }

    // A wrong password: the result shows the hint.
    await page.fill('#smtpx_primary_password', 'not-the-password');
    await Promise.all([page.waitForLoadState('load'), page.click(`${form} [type=submit]`)]);
    await page.waitForSelector('#smtpx_test_to');
    await Promise.all([page.waitForURL(/smtpx-test=1/), page.click('#smtpx-test-form [type=submit]')]);
    const failure = (await page.textContent('.smtpx-test-result')) || '';
    // The hint is the extension's (Smtpx\Exception::getHint()), shown once.
    ok(failure.includes('was not sent') && failure.split('Check the user name and password').length === 2,
      'a refused login shows a plain-language hint', failure);
    if (await page.isVisible('.smtpx-test-result details summary')) {
      await page.click('.smtpx-test-result details summary');
      const transcript = (await page.textContent('.smtpx-test-result pre')) || '';
      ok(transcript.includes('535') && !transcript.includes('not-the-password'),
        'the transcript shows the refusal without the password', transcript);
    }
    await page.screenshot({ path: path.join(artifacts, 'test-email-failed.png'), fullPage: true });
    await page.locator('.smtpx-test-result').screenshot({ path: path.join(artifacts, 'test-email-failed-result.png') });
  });
}

run(main);
