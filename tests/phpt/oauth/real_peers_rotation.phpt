--TEST--
OAuth2 with the real peers: oidc-provider rotates the refresh token; smtpx hands the new one back as oauth_refresh_token; the caller's next send with it finds the access token cached under it, the next refresh presents it, and the old one is refused (invalid_grant) once rotated
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

function send_with(string $refresh_token): array
{
    $needle = 'oidc-' . bin2hex(random_bytes(6));
    $result = smtpx_send(['from' => 'alice@example.test', 'to' => 'bob@example.net', 'subject' => $needle, 'text' => 'x'],
                         smtpx_test_oidc_transport('smtpx-ext-rotating', $refresh_token, ['persistent' => false]));
    $result['delivered'] = str_contains(smtpx_test_fetch_delivered($needle), "Subject: $needle");
    return $result;
}

$first = smtpx_test_oidc_connect('smtpx-ext-rotating')['refresh_token'];
$grant = smtpx_test_oidc_grant_of($first);
$mark = smtpx_test_oidc_log_mark();

$result = send_with($first);
$second = $result['oauth_refresh_token'] ?? null;
echo 'first send: delivered=', var_export($result['delivered'], true), ', a new refresh token handed back: ',
    var_export(is_string($second) && $second !== $first, true), "\n";

// The caller stores it (the plugin does) and sends with it from now on: the access token is
// cached under the new refresh token too, so nothing is asked until it is due (half of 10 s).
$mark_stored = smtpx_test_oidc_log_mark();
$result = send_with($second);
echo 'with the stored one: delivered=', var_export($result['delivered'], true), ', token requests: ',
    count(smtpx_test_oidc_token_requests($mark_stored, $grant)), "\n";
sleep(6);
$result = send_with($second);
$third = $result['oauth_refresh_token'] ?? null;
echo 'once the token is due: delivered=', var_export($result['delivered'], true), ', rotated again: ',
    var_export(is_string($third) && $third !== $second, true), "\n";

$refreshes = array_values(array_filter(smtpx_test_oidc_token_requests($mark, $grant), fn ($e) => $e['grant_type'] === 'refresh_token'));
echo 'token requests: ', count($refreshes), ', presented ',
    implode(' then ', array_map(fn ($e) => $e['refresh_token'] === smtpx_test_oidc_fingerprint($first) ? 'first'
        : ($e['refresh_token'] === smtpx_test_oidc_fingerprint($second) ? 'second' : 'other'), $refreshes)), "\n";

[$status, $answer] = smtpx_test_oidc_post('smtpx-ext-rotating', '/token', ['grant_type' => 'refresh_token', 'refresh_token' => $first]);
echo "the first, after rotation: $status {$answer['error']}\n";
?>
--EXPECT--
first send: delivered=true, a new refresh token handed back: true
with the stored one: delivered=true, token requests: 0
once the token is due: delivered=true, rotated again: true
token requests: 2, presented first then second
the first, after rotation: 400 invalid_grant
