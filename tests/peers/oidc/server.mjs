// The authorization server of the OAuth2 proofs: npm's oidc-provider (an
// OpenID certified implementation) over HTTPS with the harness certificate.
// What it is configured for, and the contract the tests and the WordPress
// Connect flow rely on, is in the header of tests/peers/oidc-start.
//
//   node server.mjs PORT CERT KEY LOG
//
// Grants and tokens live in memory (the library's own adapter): a restart
// forgets them. Every request to the token, revocation and introspection
// endpoints is one JSON line in LOG, so tests can count what smtpx asked for.
import { createHash, generateKeyPairSync } from 'node:crypto';
import { appendFileSync, readFileSync } from 'node:fs';
import { createServer } from 'node:https';

import Provider from 'oidc-provider';

const [port, certFile, keyFile, logFile] = process.argv.slice(2);
if (!port || !certFile || !keyFile || !logFile) {
  console.error('usage: node server.mjs PORT CERT KEY LOG');
  process.exit(2);
}
const issuer = `https://127.0.0.1:${port}`;
const accessTokenSeconds = Number(process.env.SMTPX_OIDC_ACCESS_TOKEN_TTL || 60);

const account = { login: 'alice@example.test', password: 'alice-oauth-pass' };
const mailScopes = ['https://mail.google.com/', 'https://outlook.office.com/SMTP.Send'];

// rotate: every refresh answers with a new refresh token and the old one is
// consumed (presented again, it is refused and the whole grant revoked).
// accessTokenSeconds: this client's access-token lifetime.
const wpRedirects = [];
for (let wpPort = 18080; wpPort <= 18089; wpPort++) {
  wpRedirects.push(`http://127.0.0.1:${wpPort}/wp-admin/options-general.php?page=smtpx&smtpx_oauth=callback`);
}
const testRedirect = 'http://127.0.0.1/smtpx-test-callback';
const clients = [
  { client_id: 'smtpx-wp', client_secret: 'smtpx-wp-secret', redirect_uris: wpRedirects, rotate: true },
  // The extension's tests: like Google (no rotation), like a strict rotating
  // provider whose access tokens last 10 s (rotations by several workers within
  // seconds), and ones whose access tokens last 20 s and an hour.
  { client_id: 'smtpx-ext', client_secret: 'smtpx-ext-secret', redirect_uris: [testRedirect], rotate: false },
  {
    client_id: 'smtpx-ext-rotating', client_secret: 'smtpx-ext-secret', redirect_uris: [testRedirect], rotate: true,
    accessTokenSeconds: 10,
  },
  {
    client_id: 'smtpx-ext-20s', client_secret: 'smtpx-ext-secret', redirect_uris: [testRedirect], rotate: false,
    accessTokenSeconds: 20,
  },
  // Google's and Microsoft's hour: the benchmark's runs without a refresh.
  {
    client_id: 'smtpx-ext-1h', client_secret: 'smtpx-ext-secret', redirect_uris: [testRedirect], rotate: false,
    accessTokenSeconds: 3600,
  },
];
const byId = new Map(clients.map((client) => [client.client_id, client]));

const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });

function fingerprint(token) {
  return token ? createHash('sha256').update(token).digest('hex').slice(0, 16) : undefined;
}

function log(entry) {
  appendFileSync(logFile, `${JSON.stringify({ time: Date.now() / 1000, ...entry })}\n`);
}

const provider = new Provider(issuer, {
  clients: [
    ...clients.map(({ client_id, client_secret, redirect_uris }) => ({
      client_id,
      client_secret,
      redirect_uris,
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      // The extension and the plugin send the client's credentials in the form body, as Google expects.
      token_endpoint_auth_method: 'client_secret_post',
    })),
    // Dovecot's oauth2 passdb asks the introspection endpoint with HTTP Basic credentials.
    {
      client_id: 'dovecot', client_secret: 'dovecot-secret', redirect_uris: [], grant_types: [], response_types: [],
      token_endpoint_auth_method: 'client_secret_basic',
    },
  ],
  jwks: { keys: [{ ...privateKey.export({ format: 'jwk' }), kid: 'smtpx-test', use: 'sig', alg: 'ES256' }] },
  enabledJWA: { idTokenSigningAlgValues: ['ES256'] },
  clientDefaults: { id_token_signed_response_alg: 'ES256' },
  cookies: { keys: ['smtpx-test-peer-cookie-key'] },
  scopes: ['openid', 'offline_access', 'email', ...mailScopes],
  claims: { openid: ['sub'], email: ['email'] },
  async findAccount(_ctx, id) {
    if (id !== account.login) return undefined;
    return { accountId: id, claims: async () => ({ sub: id, email: id }) };
  },
  pkce: { required: () => true },
  // Google answers a consented code grant with a refresh token whether or not
  // offline_access was asked for (access_type=offline); so does this peer.
  issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
  rotateRefreshToken: (ctx) => Boolean(byId.get(ctx.oidc.client.clientId)?.rotate),
  ttl: {
    AccessToken: (_ctx, _token, client) => byId.get(client?.clientId)?.accessTokenSeconds ?? accessTokenSeconds,
    RefreshToken: 14 * 24 * 3600,
    Grant: 14 * 24 * 3600,
    Session: 3600,
    Interaction: 600,
    AuthorizationCode: 120,
    IdToken: 3600,
  },
  features: {
    devInteractions: { enabled: false },
    introspection: { enabled: true },
    revocation: { enabled: true },
  },
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  async renderError(ctx, out) {
    ctx.type = 'html';
    ctx.body = page('Error', `<p id="error">${escape(out.error)}: ${escape(out.error_description || '')}</p>`);
  },
});
provider.proxy = false;

provider.use(async (ctx, next) => {
  await next();
  const endpoint = { '/token': 'token', '/token/revocation': 'revocation', '/token/introspection': 'introspection' }[
    ctx.path
  ];
  if (!endpoint || ctx.method !== 'POST') return;
  const entities = ctx.oidc?.entities || {};
  const body = ctx.oidc?.body || {};
  const grant = entities.RefreshToken?.grantId || entities.AccessToken?.grantId || entities.AuthorizationCode?.grantId;
  const answer = typeof ctx.body === 'object' && ctx.body !== null ? ctx.body : {};
  log({
    endpoint,
    status: ctx.status,
    client_id: ctx.oidc?.client?.clientId,
    grant_type: body.grant_type,
    grant,
    refresh_token: fingerprint(body.refresh_token),
    token: fingerprint(body.token),
    issued_refresh_token: fingerprint(answer.refresh_token),
    active: endpoint === 'introspection' ? answer.active : undefined,
    error: answer.error,
  });
});

function escape(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title, body) {
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${escape(title)}</title></head>`
    + `<body><h1>${escape(title)}</h1>${body}</body></html>`;
}

function readForm(req) {
  return new Promise((resolve, reject) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => {
      data += chunk;
      if (data.length > 8192) reject(new Error('form too large'));
    });
    req.on('end', () => resolve(Object.fromEntries(new URLSearchParams(data))));
    req.on('error', reject);
  });
}

function send(res, status, html) {
  res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(html);
}

function loginPage(uid, hint, error) {
  return page(
    'Sign in',
    `${error ? `<p id="error">${escape(error)}</p>` : ''}`
      + `<form method="post" action="/interaction/${escape(uid)}"><input type="hidden" name="prompt" value="login">`
      + `<label>Email <input type="email" name="login" id="login" value="${escape(hint || '')}" required></label>`
      + '<label>Password <input type="password" name="password" id="password" required></label>'
      + '<button type="submit" id="sign-in">Sign in</button></form>',
  );
}

function consentPage(uid, clientId, scopes) {
  const items = scopes.map((scope) => `<li>${escape(scope)}</li>`).join('');
  return page(
    'Authorize',
    `<p>${escape(clientId)} asks to send mail as ${escape(account.login)}:</p><ul id="scopes">${items}</ul>`
      + `<form method="post" action="/interaction/${escape(uid)}"><input type="hidden" name="prompt" value="consent">`
      + '<button type="submit" id="allow">Allow</button></form>',
  );
}

// The sign-in and consent pages (devInteractions accept any login, so these
// check alice's password), through the library's own interaction API.
async function interaction(req, res, uid) {
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) throw new Error('interaction mismatch');
  const { prompt, params } = details;
  if (req.method === 'GET') {
    if (prompt.name === 'login') return send(res, 200, loginPage(uid, params.login_hint));
    const asked = String(params.scope || '').split(' ').filter(Boolean);
    return send(res, 200, consentPage(uid, params.client_id, asked));
  }
  const form = await readForm(req);
  if (prompt.name === 'login') {
    if (form.login !== account.login || form.password !== account.password) {
      return send(res, 200, loginPage(uid, form.login, 'Wrong email or password.'));
    }
    return provider.interactionFinished(req, res, { login: { accountId: account.login } }, {
      mergeWithLastSubmission: false,
    });
  }
  const grant = details.grantId
    ? await provider.Grant.find(details.grantId)
    : new provider.Grant({ accountId: details.session.accountId, clientId: params.client_id });
  if (prompt.details.missingOIDCScope) grant.addOIDCScope(prompt.details.missingOIDCScope.join(' '));
  if (prompt.details.missingOIDCClaims) grant.addOIDCClaims(prompt.details.missingOIDCClaims);
  return provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } }, {
    mergeWithLastSubmission: true,
  });
}

const callback = provider.callback();
const server = createServer({ cert: readFileSync(certFile), key: readFileSync(keyFile) }, (req, res) => {
  const match = /^\/interaction\/([A-Za-z0-9_-]+)$/.exec(new URL(req.url, issuer).pathname);
  if (!match) return callback(req, res);
  return interaction(req, res, match[1]).catch((error) => {
    send(res, 400, page('Error', `<p id="error">${escape(error.message)}</p>`));
  });
});
server.listen(Number(port), '127.0.0.1', () => {
  console.log(`oidc-provider ${issuer} ready`);
});
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => server.close(() => process.exit(0)));
