// Logs in to the test WordPress in headless chromium, configures smtpx on its
// settings page, sends a test email, sees the result and the Ports panel, and keeps
// screenshots. Prints "ok N - name" / "not ok N - name".
'use strict';
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const { state, base, artifacts, ok, deliveredTo, withAdminPage, fillOtherSmtp, sendTestEmail, run } = require('./browser-common.cjs');

async function main() {
  await withAdminPage(async (page) => {
    await page.goto(`${base}/wp-admin/options-general.php?page=smtpx`);
    ok((await page.textContent('h1')).trim() === 'smtpx', 'Settings > smtpx opens');
    await page.screenshot({ path: path.join(artifacts, 'settings-initial.png'), fullPage: true });

    const form = '#smtpx-settings-form';
    await page.selectOption('#smtpx_primary_preset', 'ses');
    ok(await page.isVisible('#smtpx_primary_region') && !(await page.isVisible('#smtpx_primary_host')),
      'Amazon SES asks for the region, not the host');
    await page.selectOption('#smtpx_primary_preset', 'sendgrid');
    ok(!(await page.isVisible('#smtpx_primary_username'))
      && (await page.textContent('tr:has(#smtpx_primary_password) p.description')).includes('Mail Send'),
      'SendGrid needs no user name and explains its key');
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
