--TEST--
OAuth2 with the real peers: a refresh token from oidc-provider's code flow with PKCE; Dovecot takes XOAUTH2 on 10592 and OAUTHBEARER where it offers nothing else (10593), checks each token at the introspection endpoint, and relays to Postfix's maildir
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

$tokens = smtpx_test_oidc_connect('smtpx-ext');
$grant = smtpx_test_oidc_grant_of($tokens['refresh_token']);
$mark = smtpx_test_oidc_log_mark();

foreach ([10592 => 'XOAUTH2 and OAUTHBEARER offered', 10593 => 'OAUTHBEARER only'] as $port => $label) {
    $needle = 'oidc-' . bin2hex(random_bytes(6));
    $result = smtpx_send(['from' => 'alice@example.test', 'to' => 'bob@example.net', 'subject' => $needle, 'text' => 'x'],
                         smtpx_test_oidc_transport('smtpx-ext', $tokens['refresh_token'],
                                                   ['port' => $port, 'debug' => true, 'persistent' => false]));
    preg_match('/^C: AUTH (\S+)/m', $result['transcript'], $auth);
    echo "$label: AUTH {$auth[1]}, ", substr($result['reply'], 0, 10), ', delivered=',
        var_export(str_contains(smtpx_test_fetch_delivered($needle), "Subject: $needle"), true), "\n";
    echo '  no token in the transcript: ', var_export(!str_contains($result['transcript'], $tokens['refresh_token']), true), "\n";
}

$entries = smtpx_test_oidc_log_since($mark);
$mine = array_filter($entries, fn ($e) => ($e['grant'] ?? null) === $grant);
$count = fn (string $endpoint) => count(array_filter($mine, fn ($e) => $e['endpoint'] === $endpoint));
echo 'token requests: ', $count('token'), ' (one access token for both sends)', "\n";
echo 'introspections by Dovecot: ', $count('introspection'), ', all active: ',
    var_export(array_values(array_unique(array_column(array_filter($mine, fn ($e) => $e['endpoint'] === 'introspection'), 'active'))) === [true], true), "\n";
?>
--EXPECT--
XOAUTH2 and OAUTHBEARER offered: AUTH XOAUTH2, 250 2.0.0 , delivered=true
  no token in the transcript: true
OAUTHBEARER only: AUTH OAUTHBEARER, 250 2.0.0 , delivered=true
  no token in the transcript: true
token requests: 1 (one access token for both sends)
introspections by Dovecot: 2, all active: true
