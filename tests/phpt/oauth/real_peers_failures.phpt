--TEST--
OAuth2 with the real peers: a grant revoked at oidc-provider is a permanent AuthException saying to reconnect, with one token request per send and no retry loop (Dovecot refuses the cached token, smtpx renews once, invalid_grant); a token endpoint that refuses connections is transient (a ConnectException of phase auth)
--SKIPIF--
<?php
require __DIR__ . '/../inc/harness.inc';
require __DIR__ . '/../inc/oidc.inc';
smtpx_test_skip_unless_peers();
smtpx_test_skip_unless_oidc();
?>
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
require __DIR__ . '/../inc/oidc.inc';

function attempt(array $transport, string $label): void
{
    $needle = 'oidc-' . bin2hex(random_bytes(6));
    $started = microtime(true);
    try {
        smtpx_send(['from' => 'alice@example.test', 'to' => 'bob@example.net', 'subject' => $needle, 'text' => 'x'], $transport);
        echo "$label: delivered=", var_export(str_contains(smtpx_test_fetch_delivered($needle), $needle), true), "\n";
    } catch (Smtpx\Exception $e) {
        echo "$label: ", get_class($e), ' phase=', $e->getPhase(), ' transient=', var_export($e->isTransient(), true),
            ' in under 5 s: ', var_export(microtime(true) - $started < 5, true), "\n  ", $e->getMessage(), "\n";
        echo '  secrets in the message: ', var_export(str_contains($e->getMessage(), $transport['oauth']['refresh_token'])
            || str_contains($e->getMessage(), $transport['oauth']['client_secret']), true), "\n";
    }
}

$refresh_token = smtpx_test_oidc_connect('smtpx-ext')['refresh_token'];
$grant = smtpx_test_oidc_grant_of($refresh_token);
$transport = smtpx_test_oidc_transport('smtpx-ext', $refresh_token, ['persistent' => false]);
attempt($transport, 'before revoking');

smtpx_test_oidc_revoke('smtpx-ext', $refresh_token);
$token_requests = fn (int $mark): int => count(array_filter(smtpx_test_oidc_log_since($mark), fn ($e) =>
    $e['endpoint'] === 'token' && ($e['refresh_token'] ?? null) === smtpx_test_oidc_fingerprint($refresh_token)));
$mark = smtpx_test_oidc_log_mark();
attempt($transport, 'revoked, with a cached access token');
echo '  token requests: ', $token_requests($mark), "\n";
$mark = smtpx_test_oidc_log_mark();
attempt($transport, 'revoked, sent again');
echo '  token requests: ', $token_requests($mark), "\n";

$fresh = smtpx_test_oidc_connect('smtpx-ext')['refresh_token'];
attempt(smtpx_test_oidc_transport('smtpx-ext', $fresh, [
    'persistent' => false, 'oauth' => ['token_url' => 'https://127.0.0.1:' . smtpx_test_free_port() . '/token'],
]), 'token endpoint refusing connections');
?>
--EXPECTF--
before revoking: delivered=true
revoked, with a cached access token: Smtpx\AuthException phase=auth transient=false in under 5 s: true
  the token endpoint refused the refresh token (HTTP 400, invalid_grant: grant request is invalid). The authorization was revoked or has expired: connect the account again.
  secrets in the message: false
  token requests: 1
revoked, sent again: Smtpx\AuthException phase=auth transient=false in under 5 s: true
  the token endpoint refused the refresh token (HTTP 400, invalid_grant: grant request is invalid). The authorization was revoked or has expired: connect the account again.
  secrets in the message: false
  token requests: 1
token endpoint refusing connections: Smtpx\ConnectException phase=auth transient=true in under 5 s: true
  cannot get an OAuth2 access token: cannot connect to 127.0.0.1:%d%s
  secrets in the message: false
