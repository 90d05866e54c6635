// Logs in to the test WordPress in headless chromium, configures smtpx on its
// settings page, sends a test email, sees the result and the Ports panel, and keeps
// screenshots. Prints "ok N - name" / "not ok N - name".
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');

const state = process.env.SMTPX_WP_DIR || '/tmp/smtpx-wp';
const peers = process.env.SMTPX_PEERS_DIR || '/tmp/smtpx-peers';
const base = `http://127.0.0.1:${process.env.SMTPX_WP_PORT || '18080'}`;
const artifacts = path.join(state, 'artifacts');
const { chromium } = require(path.join(state, 'node/node_modules/playwright-core'));

let n = 0;
function ok(pass, name, diagnostic) {
  n += 1;
  console.log(`${pass ? 'ok' : 'not ok'} ${n} - ${name}`);
  if (!pass && diagnostic) console.log(String(diagnostic).replace(/^/gm, '#   '));
  return pass;
}

// Messages in the harness maildir delivered to `address`, waiting up to `ms`.
async function deliveredTo(address, ms) {
  const deadline = Date.now() + ms;
  do {
    for (const sub of ['new', 'cur']) {
      const dir = path.join(peers, 'maildir', sub);
      for (const file of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
        const raw = fs.readFileSync(path.join(dir, file), 'latin1');
        if (raw.includes(`Delivered-To: ${address}\n`)) return raw;
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  } while (Date.now() < deadline);
  return null;
}

async function main() {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'smtpx-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1280, height: 1000 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run'],
  });
  const page = context.pages()[0] || (await context.newPage());
  page.setDefaultTimeout(30000);
  try {
    await page.goto(`${base}/wp-login.php`);
    await page.fill('#user_login', 'admin');
    await page.fill('#user_pass', 'admin-pass-42');
    await Promise.all([page.waitForURL(/wp-admin/), page.click('#wp-submit')]);
    ok(page.url().includes('/wp-admin'), 'logs in');

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
    await page.selectOption('#smtpx_primary_preset', 'other');
    await page.fill('#smtpx_primary_host', '127.0.0.1');
    await page.fill('#smtpx_primary_ports', '10587');
    await page.selectOption('#smtpx_primary_auth', 'password');
    await page.fill('#smtpx_primary_username', 'alice');
    await page.fill('#smtpx_primary_password', 'wonderland-42');
    await page.fill('#smtpx_from_email', 'site@example.com');
    await Promise.all([page.waitForLoadState('load'), page.click(`${form} [type=submit]`)]);
    await page.waitForSelector('#smtpx_primary_host');
    ok(await page.isVisible('text=Settings saved.'), 'choosing a preset and saving works');
    ok((await page.inputValue('#smtpx_primary_host')) === '127.0.0.1', 'the host is saved');
    ok((await page.inputValue('#smtpx_primary_password')) === '', 'the password field comes back empty');
    ok((await page.getAttribute('#smtpx_primary_password', 'placeholder')) === 'Saved; leave empty to keep it',
      'the password field says a secret is saved');
    ok(!(await page.content()).includes('wonderland-42'), 'the page never contains the password');
    await page.screenshot({ path: path.join(artifacts, 'settings-saved.png'), fullPage: true });

    const recipient = `browser-${Date.now()}@example.com`;
    await page.fill('#smtpx_test_to', recipient);
    await Promise.all([page.waitForURL(/smtpx-test=1/), page.click('#smtpx-test-form [type=submit]')]);
    const result = (await page.textContent('.smtpx-test-result')) || '';
    ok(result.includes(`Test email sent to ${recipient}`) && result.includes('port 10587'),
      'the test email result shows the port', result);
    await page.screenshot({ path: path.join(artifacts, 'test-email-sent.png'), fullPage: true });
    ok((await deliveredTo(recipient, 10000)) !== null, 'the test email is delivered');

    ok(await page.isVisible('#smtpx-ports'), 'the Ports panel is shown');
    if (await page.isVisible('form:has(input[value=smtpx_probe]) [type=submit]')) {
      await page.click('form:has(input[value=smtpx_probe]) [type=submit]');
      // Waits for the result itself: the page still showing has had its load event already,
      // and the probe measures every port, which takes seconds on a busy machine.
      const shown = await page.waitForSelector('table.smtpx-ports, .smtpx-settings .notice-error', { timeout: 60000 })
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
  } catch (error) {
    ok(false, 'the browser session', error.stack);
    await page.screenshot({ path: path.join(artifacts, 'browser-error.png'), fullPage: true }).catch(() => {});
  } finally {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

main().catch((error) => {
  ok(false, 'the browser test', error.stack);
  process.exitCode = 1;
});
