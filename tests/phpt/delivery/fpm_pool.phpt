--TEST--
PHP-FPM: 50 requests on one worker send 50 mails over one SMTP connection
--SKIPIF--
<?php
require __DIR__ . '/../inc/harness.inc';
smtpx_test_skip_unless_peers();
if (!is_executable(smtpx_test_php_fpm()) || !is_executable('/usr/bin/cgi-fcgi')) {
    die('skip ' . smtpx_test_php_fpm() . ' (php-fpm) and cgi-fcgi (libfcgi-bin) needed');
}
?>
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
require __DIR__ . '/sink_count.inc';

$sink = smtpx_test_start_sink(['-v']);
$before = delivery_sink_counts($sink);

$pool = smtpx_test_fpm_pool(<<<'PHP'
<?php
$result = smtpx_send(
    ['from' => 'a@example.com', 'to' => 'b@example.com', 'subject' => 'fpm', 'text' => 'x'],
    ['host' => '127.0.0.1', 'port' => (int) $_GET['port'], 'tls' => 'none', 'helo' => 'fpm.test']
);
$stats = smtpx_pool_stats();
echo json_encode(['reused' => $result['reused'], 'pid' => getmypid(), 'opened' => $stats['opened']]);
PHP, 1, [
    // The worker ends after its 50th request the way workers end normally, through
    // MSHUTDOWN. (A stop or reload kills idle workers with SIGTERM: no goodbye then.)
    'pm.max_requests = 50',
]);

$reused = 0;
$pids = [];
for ($i = 0; $i < 50; $i++) {
    $response = smtpx_test_fpm_body(smtpx_test_fpm_request($pool, ['port' => $sink['port']]));
    $body = json_decode($response, true);
    if (!is_array($body)) {
        die("request $i failed: $response");
    }
    $reused += $body['reused'] ? 1 : 0;
    $pids[$body['pid']] = true;
}
$after = delivery_sink_counts($sink);
echo count($pids), " worker, $reused of 50 sends reused, last opened count {$body['opened']}\n";
echo "the server saw ", $after['connections'] - $before['connections'], " connection\n";
$log = file_get_contents($sink['log']);
echo preg_match_all('/smtp-sink: \.$/m', $log), " messages\n";
// The worker that served its 50 requests has left through MSHUTDOWN, which said QUIT.
for ($i = 0; $i < 50 && delivery_sink_counts($sink)['quits'] === $before['quits']; $i++);
echo "QUIT at shutdown: ", delivery_sink_counts($sink)['quits'] - $before['quits'], "\n";
?>
--EXPECT--
1 worker, 49 of 50 sends reused, last opened count 1
the server saw 1 connection
50 messages
QUIT at shutdown: 1
