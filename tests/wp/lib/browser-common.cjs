// What the browser tests share: the TAP lines, the test WordPress and the harness maildir,
// headless chromium with a profile of its own, and the admin's login.
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
        let raw;
        try {
          raw = fs.readFileSync(path.join(dir, file), 'latin1');
        } catch (error) {
          continue; // Moved from new/ to cur/ (or removed) since the listing.
        }
        if (raw.includes(`Delivered-To: ${address}\n`)) return raw;
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  } while (Date.now() < deadline);
  return null;
}

// Runs `body(page)` in headless chromium with a fresh profile, logged in as the admin;
// a throw is one failed check with a screenshot. `args` are more chromium flags.
async function withAdminPage(body, args = []) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'smtpx-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1280, height: 1000 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', ...args],
  });
  const page = context.pages()[0] || (await context.newPage());
  page.setDefaultTimeout(30000);
  try {
    await page.goto(`${base}/wp-login.php`);
    await page.fill('#user_login', 'admin');
    await page.fill('#user_pass', 'admin-pass-42');
    await Promise.all([page.waitForURL(/wp-admin/), page.click('#wp-submit')]);
    ok(page.url().includes('/wp-admin'), 'logs in');
    await body(page);
  } catch (error) {
    ok(false, 'the browser session', error.stack);
    await page.screenshot({ path: path.join(artifacts, 'browser-error.png'), fullPage: true }).catch(() => {});
  } finally {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

// Fills the primary connection as "Other SMTP" on 127.0.0.1 and the From address, without saving.
async function fillOtherSmtp(page, { ports, auth, username, password, from }) {
  await page.selectOption('#smtpx_primary_preset', 'other');
  await page.fill('#smtpx_primary_host', '127.0.0.1');
  await page.fill('#smtpx_primary_ports', ports);
  await page.selectOption('#smtpx_primary_auth', auth);
  await page.fill('#smtpx_primary_username', username);
  if (password !== undefined) await page.fill('#smtpx_primary_password', password);
  await page.fill('#smtpx_from_email', from);
}

// Sends the settings page's test email to a new address: the result box's text, and
// whether the message reached the maildir; a full-page screenshot NAME.png in between.
async function sendTestEmail(page, prefix, screenshot) {
  const recipient = `${prefix}-${Date.now()}@example.com`;
  await page.fill('#smtpx_test_to', recipient);
  await Promise.all([page.waitForURL(/smtpx-test=1/), page.click('#smtpx-test-form [type=submit]')]);
  const result = (await page.textContent('.smtpx-test-result')) || '';
  await page.screenshot({ path: path.join(artifacts, `${screenshot}.png`), fullPage: true });
  return { recipient, result, delivered: (await deliveredTo(recipient, 10000)) !== null };
}

function run(main) {
  main().catch((error) => {
    ok(false, 'the browser test', error.stack);
    process.exitCode = 1;
  });
}

module.exports = { state, peers, base, artifacts, ok, deliveredTo, withAdminPage, fillOtherSmtp, sendTestEmail, run };
