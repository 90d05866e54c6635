--TEST--
OAuth2 with the real peers: 50 sends from 4 PHP-FPM workers across two expiries of 20 s access tokens are all delivered, Dovecot accepts every token, and oidc-provider sees one token request per refresh (half a lifetime), not one per worker or per send
--SKIPIF--
<?php
require __DIR__ . '/../inc/harness.inc';
require __DIR__ . '/../inc/oidc.inc';
smtpx_test_skip_unless_peers();
smtpx_test_skip_unless_oidc();
if (!is_executable(smtpx_test_php_fpm()) || !is_executable('/usr/bin/cgi-fcgi')) {
    die('skip ' . smtpx_test_php_fpm() . ' (php-fpm) and cgi-fcgi (libfcgi-bin) needed');
}
// 40 s of paced sends by four workers: under valgrind the timing, not the code, is tested;
// the other real_peers tests take the same OAuth path there.
if (smtpx_test_under_valgrind()) {
    die('skip paced for 40 s: not under valgrind');
}
?>
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
require __DIR__ . '/../inc/oidc.inc';

const WORKERS = 4;
const SENDS = 50;
const LIFETIME = 20;         // smtpx-ext-20s's access tokens (tests/peers/oidc-start)
const BURST_EVERY = 3.2;     // 13 bursts of up to 4 sends: 38 s, past the expiries at 20 and 30 s

$refresh_token = smtpx_test_oidc_connect('smtpx-ext-20s')['refresh_token'];
$grant = smtpx_test_oidc_grant_of($refresh_token);
$mark = smtpx_test_oidc_log_mark();
$run = 'fpm-oidc-' . bin2hex(random_bytes(6));

$pool = smtpx_test_oidc_fpm_pool(WORKERS);
[$answers, $elapsed] = smtpx_test_oidc_fpm_bursts(
    $pool, smtpx_test_oidc_transport('smtpx-ext-20s', $refresh_token, ['persistent' => false]), $run, SENDS, WORKERS,
    BURST_EVERY);
$pids = array_unique(array_column($answers, 'pid'));
$failures = array_map(fn ($a) => $a['error'] ?? json_encode($a), array_filter($answers, fn ($a) => ($a['reply'] ?? '') !== '250'));

echo 'workers that sent: ', count($pids), ', failed sends: ', count($failures), "\n";
foreach (array_slice($failures, 0, 3) as $failure) {
    echo "  $failure\n";
}
echo 'delivered: ', count(smtpx_test_fetch_delivered_all($run, SENDS, 30.0)), "\n";

$entries = smtpx_test_oidc_log_since($mark);
$introspections = array_filter($entries, fn ($e) => $e['endpoint'] === 'introspection' && ($e['grant'] ?? null) === $grant);
echo 'tokens introspected by Dovecot: ', count($introspections), ', all active: ',
    var_export(array_values(array_unique(array_column($introspections, 'active'))) === [true], true), "\n";

// One request each time the token is due: at the start and every half lifetime after, less
// a second (token times are whole seconds); one per worker would be four times as many.
$token_requests = count(smtpx_test_oidc_token_requests($mark, $grant));
$bound = (int) floor($elapsed / (LIFETIME / 2 - 1)) + 1;
printf("expiries crossed: %s\n", var_export($elapsed > 1.5 * LIFETIME, true));
printf("token requests: %d in %.0f s; at least 3: %s, at most one per half lifetime (%d): %s\n", $token_requests,
       $elapsed, var_export($token_requests >= 3, true), $bound, var_export($token_requests <= $bound, true));
?>
--EXPECTF--
workers that sent: 4, failed sends: 0
delivered: 50
tokens introspected by Dovecot: 50, all active: true
expiries crossed: true
token requests: %d in %d s; at least 3: true, at most one per half lifetime (%d): true
