--TEST--
OAuth2 with refresh tokens: smtpx gets the access token itself (Google, Microsoft with a rotated refresh token handed back), keeps it for the next sends, uses OAUTHBEARER where XOAUTH2 is not offered, never LOGIN with OAuth, and renews a refused token once on the same connection
--SKIPIF--
<?php require __DIR__ . '/../inc/harness.inc'; smtpx_test_skip_unless_oauth(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';

function send_via(array $transport, string $label): ?array
{
    $needle = 'oauth-' . bin2hex(random_bytes(6));
    try {
        $result = smtpx_send(['from' => 'user@example.com', 'to' => 'ann@example.net', 'subject' => $needle,
                              'text' => 'x'], $transport);
        echo "$label: delivered=", var_export(str_contains(smtpx_test_oauth_delivered($needle), $needle), true),
            ' rotated=', var_export(isset($result['oauth_refresh_token']), true), "\n";
        return $result;
    } catch (Smtpx\Exception $e) {
        echo "$label: ", get_class($e), ' transient=', var_export($e->isTransient(), true), "\n  ", $e->getMessage(), "\n";
        return null;
    }
}

function mechanisms(int $mark, string $refresh_token): string
{
    $grant = smtpx_test_oauth_fingerprint($refresh_token);
    return implode(', ', array_map(fn ($a) => $a['mechanism'] . ($a['accepted'] ? ' ok' : ' refused'),
                                   smtpx_test_oauth_auth_attempts_since($mark, $grant)));
}

function token_requests(int $mark, string $refresh_token): int
{
    $grant = smtpx_test_oauth_fingerprint($refresh_token);
    return count(array_filter(smtpx_test_oauth_log_since($mark, $grant), fn ($e) => $e['kind'] === 'token'));
}

$mark = smtpx_test_oauth_log_mark();
$google = smtpx_test_oauth_transport('google', ['persistent' => false]);
send_via($google, 'google');
send_via($google, 'google again');
echo '  token requests: ', token_requests($mark, $google['oauth']['refresh_token']),
    '; AUTH: ', mechanisms($mark, $google['oauth']['refresh_token']), "\n";

$mark = smtpx_test_oauth_log_mark();
$microsoft = smtpx_test_oauth_transport('microsoft', ['persistent' => false]);
$result = send_via($microsoft, 'microsoft');
var_dump($result['oauth_refresh_token'] !== $microsoft['oauth']['refresh_token']);

$mark = smtpx_test_oauth_log_mark();
$bearer = smtpx_test_oauth_transport('google', ['persistent' => false, 'port' => smtpx_test_oauth_smtp_port('oauthbearer')]);
send_via($bearer, 'oauthbearer only');
echo '  AUTH: ', mechanisms($mark, $bearer['oauth']['refresh_token']), "\n";

$mark = smtpx_test_oauth_log_mark();
$outlook = smtpx_test_oauth_transport('microsoft', ['persistent' => false, 'port' => smtpx_test_oauth_smtp_port('outlook')]);
send_via($outlook, 'outlook (LOGIN offered first)');
echo '  AUTH: ', mechanisms($mark, $outlook['oauth']['refresh_token']), "\n";

$mark = smtpx_test_oauth_log_mark();
$expiring = smtpx_test_oauth_transport('google', ['persistent' => false]);
send_via($expiring, 'warm-up');
smtpx_test_oauth_expire_access_tokens($expiring['oauth']['refresh_token']);
send_via($expiring, 'cached token refused');
echo '  AUTH: ', mechanisms($mark, $expiring['oauth']['refresh_token']), "\n";
?>
--EXPECTF--
google: delivered=true rotated=false
google again: delivered=true rotated=false
  token requests: 1; AUTH: XOAUTH2 ok, XOAUTH2 ok
microsoft: delivered=true rotated=true
bool(true)
oauthbearer only: delivered=true rotated=false
  AUTH: OAUTHBEARER ok
outlook (LOGIN offered first): delivered=true rotated=true
  AUTH: XOAUTH2 ok
warm-up: delivered=true rotated=false
cached token refused: delivered=true rotated=false
  AUTH: XOAUTH2 ok, XOAUTH2 refused, XOAUTH2 ok
