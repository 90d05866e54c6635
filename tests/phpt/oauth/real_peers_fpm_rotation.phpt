--TEST--
OAuth2 with the real peers: 4 PHP-FPM workers share one grant of a provider that rotates refresh tokens and revokes the grant when a replaced one comes back (oidc-provider); every worker is configured with the first token and never told the others', yet every rotated token is presented once, the grant survives several rotations, every send is delivered, each worker hands the newest token back, and the cache files hold none of them in clear
--SKIPIF--
<?php
require __DIR__ . '/../inc/harness.inc';
require __DIR__ . '/../inc/oidc.inc';
smtpx_test_skip_unless_peers();
smtpx_test_skip_unless_oidc();
if (!is_executable(smtpx_test_php_fpm()) || !is_executable('/usr/bin/cgi-fcgi')) {
    die('skip ' . smtpx_test_php_fpm() . ' (php-fpm) and cgi-fcgi (libfcgi-bin) needed');
}
// Paced across the 10 s tokens' refreshes: under valgrind the timing, not the code, is tested.
if (smtpx_test_under_valgrind()) {
    die('skip paced for 25 s: not under valgrind');
}
?>
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
require __DIR__ . '/../inc/oidc.inc';

const WORKERS = 4;
const SENDS = 40;
const BURST_EVERY = 2.5;  // 10 bursts in 25 s; the 10 s tokens are refreshed at 5 s (half their lifetime)

$first = smtpx_test_oidc_connect('smtpx-ext-rotating')['refresh_token'];
$grant = smtpx_test_oidc_grant_of($first);
$mark = smtpx_test_oidc_log_mark();
$run = 'fpm-rotation-' . bin2hex(random_bytes(6));

$pool = smtpx_test_oidc_fpm_pool(WORKERS);
// Every request carries the first refresh token: a site that never stores the rotated one.
[$answers] = smtpx_test_oidc_fpm_bursts(
    $pool, smtpx_test_oidc_transport('smtpx-ext-rotating', $first, ['persistent' => false]), $run, SENDS, WORKERS,
    BURST_EVERY);
$failures = array_map(fn ($a) => $a['error'] ?? json_encode($a), array_filter($answers, fn ($a) => ($a['reply'] ?? '') !== '250'));
echo 'workers that sent: ', count(array_unique(array_column($answers, 'pid'))), ', failed sends: ', count($failures), "\n";
foreach (array_slice($failures, 0, 3) as $failure) {
    echo "  $failure\n";
}
echo 'delivered: ', count(smtpx_test_fetch_delivered_all($run, SENDS, 30.0)), "\n";

$refreshes = array_values(array_filter(smtpx_test_oidc_token_requests($mark, $grant),
                                       fn ($e) => $e['grant_type'] === 'refresh_token'));
$presented = array_column($refreshes, 'refresh_token');
$issued = array_column($refreshes, 'issued_refresh_token');
echo 'rotations: at least 3: ', var_export(count($refreshes) >= 3, true),
    ', all answered 200: ', var_export(array_unique(array_column($refreshes, 'status')) === [200], true), "\n";
echo 'each refresh presented the token the one before it was issued: ',
    var_export($presented === array_merge([smtpx_test_oidc_fingerprint($first)], array_slice($issued, 0, -1)), true), "\n";

// What the workers handed back: tokens the grant issued, the newest among them.
$handed_back = [];
foreach (array_filter(array_column($answers, 'oauth_refresh_token')) as $token) {
    $handed_back[smtpx_test_oidc_fingerprint($token)] = $token;
}
echo 'handed back: only issued tokens: ', var_export(array_diff(array_keys($handed_back), $issued) === [], true),
    ', the newest among them: ', var_export(isset($handed_back[end($issued)]), true), "\n";

// The grant is alive: its newest token still refreshes.
[$status] = smtpx_test_oidc_post('smtpx-ext-rotating', '/token',
                                 ['grant_type' => 'refresh_token', 'refresh_token' => $handed_back[end($issued)] ?? '']);
echo "the newest token, presented by the test: $status\n";

// The workers run as nobody, with FPM's cleared environment: their cache is /tmp/smtpx-<uid>.
$cache = '/tmp/smtpx-' . posix_getpwnam('nobody')['uid'];
$files = '';
foreach (glob("$cache/oauth-*") ?: [] as $file) {
    $files .= file_get_contents($file);
}
$in_clear = array_filter(array_unique(array_merge([$first], $handed_back)), fn ($token) => str_contains($files, $token));
echo 'cache files: ', $files === '' ? 'none' : 'some', ', refresh tokens in them: ', count($in_clear), "\n";
?>
--EXPECT--
workers that sent: 4, failed sends: 0
delivered: 40
rotations: at least 3: true, all answered 200: true
each refresh presented the token the one before it was issued: true
handed back: only issued tokens: true, the newest among them: true
the newest token, presented by the test: 200
cache files: some, refresh tokens in them: 0
