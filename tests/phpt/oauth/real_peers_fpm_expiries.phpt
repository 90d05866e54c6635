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

preg_match('~\S*/smtpx\.so$~m', file_get_contents('/proc/self/maps'), $found) or die("smtpx.so not mapped\n");
$extension = $found[0];

$refresh_token = smtpx_test_oidc_connect('smtpx-ext-20s')['refresh_token'];
$grant = smtpx_test_oidc_grant_of($refresh_token);
$mark = smtpx_test_oidc_log_mark();
$run = 'fpm-oidc-' . bin2hex(random_bytes(6));

$dir = sys_get_temp_dir() . '/smtpx-fpm-oidc-' . bin2hex(random_bytes(6));
mkdir($dir, 0755);
$fpm_port = smtpx_test_free_port();
file_put_contents("$dir/send.php", <<<'PHP'
<?php
// The refresh token comes with each request, as a site's stored settings would give it.
$transport = json_decode($_SERVER['SMTPX_TRANSPORT'], true);
$result = smtpx_send(['from' => 'alice@example.test', 'to' => 'bob@example.net',
                      'subject' => $_GET['subject'], 'text' => 'x'], $transport);
echo json_encode(['pid' => getmypid(), 'reply' => substr($result['reply'], 0, 3)]);
PHP);
file_put_contents("$dir/fpm.conf", <<<CONF
[global]
error_log = $dir/fpm.log
daemonize = no
[smtpx]
user = nobody
group = nogroup
listen = 127.0.0.1:$fpm_port
pm = static
pm.max_children = 4
catch_workers_output = yes
CONF);
$fpm = smtpx_test_spawn([smtpx_test_php_fpm(), '-n', '-R', '-F', '-y', "$dir/fpm.conf", '-d', "extension=$extension"],
                        "$dir/fpm.out", [$dir]);
if (!smtpx_test_wait_listening($fpm_port, $fpm['process'])) {
    die('php-fpm did not start: ' . file_get_contents("$dir/fpm.out") . @file_get_contents("$dir/fpm.log"));
}
$transport = json_encode(smtpx_test_oidc_transport('smtpx-ext-20s', $refresh_token, ['persistent' => false]));

function start_request(string $dir, int $fpm_port, string $subject, string $transport)
{
    $env = ['SCRIPT_FILENAME' => "$dir/send.php", 'REQUEST_METHOD' => 'GET',
            'QUERY_STRING' => 'subject=' . rawurlencode($subject), 'SMTPX_TRANSPORT' => $transport, 'PATH' => '/usr/bin:/bin'];
    $process = proc_open(['/usr/bin/cgi-fcgi', '-bind', '-connect', "127.0.0.1:$fpm_port"],
                         [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes, null, $env);
    return [$process, $pipes];
}

$started = microtime(true);
$pids = [];
$failures = [];
for ($sent = 0, $burst = 0; $sent < SENDS; $burst++) {
    $wait = $started + $burst * BURST_EVERY - microtime(true);
    if ($wait > 0) {
        usleep((int) ($wait * 1e6));
    }
    $requests = [];
    for ($i = 0; $i < WORKERS && $sent < SENDS; $i++, $sent++) {
        $requests[] = start_request($dir, $fpm_port, "$run-$sent", $transport);
    }
    foreach ($requests as [$process, $pipes]) {
        $response = stream_get_contents($pipes[1]);
        proc_close($process);
        $body = json_decode(substr($response, (int) strpos($response, "\r\n\r\n") + 4), true);
        if (!is_array($body) || $body['reply'] !== '250') {
            $failures[] = trim(strip_tags($response));
            continue;
        }
        $pids[$body['pid']] = true;
    }
}
$elapsed = microtime(true) - $started;

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
