// Connect with Google in headless chromium, against the harness's oidc-provider (the test
// site's wp-config.php points every provider at it): the admin points the connection at
// Dovecot's submission (10592, which checks each token at oidc-provider), types the app's
// client id and secret, clicks Connect, signs in and consents at oidc-provider's own
// pages, and lands back on the settings page connected as alice@example.test; the
// refresh token is stored sealed; a test email goes out over XOAUTH2 and is delivered,
// and the refresh token oidc-provider rotated on the way is stored; Disconnect revokes
// the grant at oidc-provider and forgets it. Prints "ok N - name" / "not ok N - name".
'use strict';
const { X509Certificate, createHash } = require('crypto');
const { execFileSync } = require('child_process');
const fs = require('fs');
const net = require('net');
const path = require('path');
const { state, peers, base, artifacts, ok, withAdminPage, fillOtherSmtp, sendTestEmail, run } = require('./browser-common.cjs');

const issuer = 'https://127.0.0.1:10445';
const phpArgs = fs.readFileSync(path.join(state, 'php-args'), 'utf8').split('\n').filter(Boolean);

// What the site stores of its grant (tests/wp/lib/oauth-grant-state.php).
function grant() {
  return JSON.parse(execFileSync('php', [...phpArgs, path.join(__dirname, 'oauth-grant-state.php')], { encoding: 'utf8' }));
}

// oidc-provider's log entries (tests/peers/oidc-start) from line `since` on.
function oidcLog(since) {
  const lines = fs.readFileSync(path.join(peers, 'oidc.log'), 'utf8').split('\n').filter(Boolean);
  return lines.slice(since).map((line) => JSON.parse(line));
}

function listening(port) {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => resolve(socket.end() && true));
    socket.on('error', () => resolve(false));
  });
}

// Chromium trusts the harness's server certificate, and only it, by its key (SPKI SHA-256).
const certificate = new X509Certificate(fs.readFileSync(path.join(peers, 'server.pem')));
const spki = createHash('sha256').update(certificate.publicKey.export({ type: 'spki', format: 'der' })).digest('base64');

async function main() {
  await withAdminPage(async (page) => {
    const settings = `${base}/wp-admin/options-general.php?page=smtpx`;
    await page.goto(settings);
    // No user name: the connected account's address is the SMTP user.
    await fillOtherSmtp(page, { ports: '10592', auth: 'oauth', username: '', from: 'alice@example.test' });
    await Promise.all([page.waitForLoadState('load'), page.click('#smtpx-settings-form [type=submit]')]);
    await page.waitForSelector('#smtpx-oauth-connect');
    ok((await page.inputValue('#smtpx_oauth_redirect_uri'))
      === `${base}/wp-admin/options-general.php?page=smtpx&smtpx_oauth=callback`, 'the redirect URI to register is shown');
    await page.fill('#smtpx_oauth_client_id', 'smtpx-wp');
    await page.fill('#smtpx_oauth_client_secret', 'smtpx-wp-secret');
    await page.locator('#smtpx-oauth').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(artifacts, 'oauth-connect.png'), fullPage: true });

    await Promise.all([page.waitForURL(`${issuer}/interaction/**`), page.click('button.smtpx-oauth-google')]);
    ok(await page.isVisible('#login'), 'Connect with Google opens the authorization server\'s sign-in page');
    await page.fill('#login', 'alice@example.test');
    await page.fill('#password', 'alice-oauth-pass');
    await page.screenshot({ path: path.join(artifacts, 'oauth-sign-in.png') });
    await Promise.all([page.waitForSelector('#allow'), page.click('#sign-in')]);
    ok((await page.textContent('#scopes')).includes('https://mail.google.com/'), 'the consent page asks for the mail scope');
    await page.screenshot({ path: path.join(artifacts, 'oauth-consent.png') });
    await Promise.all([page.waitForURL(/smtpx-oauth=done/), page.click('#allow')]);
    const outcome = (await page.textContent('.smtpx-oauth-outcome')) || '';
    ok(outcome.includes('Connected: smtpx sends as alice@example.test'), 'back on the settings page, connected', outcome);
    ok((await page.textContent('.smtpx-oauth-status')).includes('Connected as alice@example.test'), 'the page names the connected account');
    await page.locator('#smtpx-oauth').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(artifacts, 'oauth-connected.png'), fullPage: true });
    const connected = grant();
    ok(connected.connected && connected.sealed && connected.in_options === 0,
      'the refresh token is stored sealed, nowhere in wp_options in plain text', JSON.stringify(connected));
    ok(!(await page.content()).includes('smtpx-wp-secret'), 'the page never shows the client secret');

    if (!(await listening(10592))) {
      console.log('ok - the test email over XOAUTH2 to Dovecot # SKIP Dovecot is not on 10592 (tests/peers/dovecot-start)');
    } else {
      const since = oidcLog(0).length;
      const sent = await sendTestEmail(page, 'browser-oauth', 'oauth-test-email');
      ok(sent.result.includes(`Test email sent to ${sent.recipient}`) && sent.result.includes('port 10592'),
        'the test email goes out over XOAUTH2 to Dovecot', sent.result);
      ok(sent.delivered, 'and is delivered');
      const refreshed = oidcLog(since).filter((entry) => entry.endpoint === 'token' && entry.grant_type === 'refresh_token');
      const after = grant();
      ok(refreshed.length === 1 && refreshed[0].refresh_token === connected.fingerprint
        && refreshed[0].issued_refresh_token === after.fingerprint && after.fingerprint !== connected.fingerprint && after.sealed,
        'the token was refreshed once with the stored refresh token, and the rotated one is stored sealed',
        JSON.stringify({ refreshed, before: connected.fingerprint, after }));
    }

    const before = grant();
    const since = oidcLog(0).length;
    await Promise.all([page.waitForURL(/smtpx-oauth=done/), page.click('#smtpx-oauth-disconnect [type=submit]')]);
    ok((await page.textContent('.smtpx-oauth-outcome')).includes('The account is disconnected.')
      && (await page.textContent('.smtpx-oauth-status')).includes('No account is connected.'), 'Disconnect: the page says so');
    const revoked = oidcLog(since).filter((entry) => entry.endpoint === 'revocation');
    ok(revoked.length === 1 && revoked[0].status === 200 && revoked[0].token === before.fingerprint,
      'the refresh token was revoked at oidc-provider', JSON.stringify(revoked));
    ok(!grant().connected, 'and is forgotten');
    await page.screenshot({ path: path.join(artifacts, 'oauth-disconnected.png'), fullPage: true });
  }, [`--ignore-certificate-errors-spki-list=${spki}`]);
}

run(main);

