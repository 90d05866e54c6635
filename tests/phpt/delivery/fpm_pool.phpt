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

// The extension this test runs with, to load the same one into the worker.
preg_match('~\S*/smtpx\.so$~m', file_get_contents('/proc/self/maps'), $found) or die("smtpx.so not mapped\n");
$extension = $found[0];

$sink = smtpx_test_start_sink(['-v']);
$before = delivery_sink_counts($sink);

$dir = sys_get_temp_dir() . '/smtpx-fpm-' . bin2hex(random_bytes(6));
mkdir($dir, 0755);
$fpm_port = smtpx_test_free_port();
file_put_contents("$dir/send.php", <<<'PHP'
<?php
$result = smtpx_send(
    ['from' => 'a@example.com', 'to' => 'b@example.com', 'subject' => 'fpm', 'text' => 'x'],
    ['host' => '127.0.0.1', 'port' => (int) $_GET['port'], 'tls' => 'none', 'helo' => 'fpm.test']
);
$stats = smtpx_pool_stats();
echo json_encode(['reused' => $result['reused'], 'pid' => getmypid(), 'opened' => $stats['opened']]);
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
pm.max_children = 1
; The worker ends after its 50th request the way workers end normally, through
; MSHUTDOWN. (A stop or reload kills idle workers with SIGTERM: no goodbye then.)
pm.max_requests = 50
catch_workers_output = yes
CONF);
$fpm = smtpx_test_spawn([smtpx_test_php_fpm(), '-n', '-R', '-F', '-y', "$dir/fpm.conf",
                         '-d', "extension=$extension"], "$dir/fpm.out", [$dir]);
// Under valgrind the master and its worker both run under it, sharing the CPU with the
// other tests: starting can take longer than the usual 10 seconds.
if (!smtpx_test_wait_listening($fpm_port, $fpm['process'], smtpx_test_under_valgrind() ? 60.0 : 10.0)) {
    die("php-fpm did not start: " . file_get_contents("$dir/fpm.out") . @file_get_contents("$dir/fpm.log"));
}

$reused = 0;
$pids = [];
for ($i = 0; $i < 50; $i++) {
    $env = ['SCRIPT_FILENAME' => "$dir/send.php", 'REQUEST_METHOD' => 'GET',
            'QUERY_STRING' => "port={$sink['port']}", 'PATH' => '/usr/bin:/bin'];
    $process = proc_open(['/usr/bin/cgi-fcgi', '-bind', '-connect', "127.0.0.1:$fpm_port"],
                         [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes, null, $env);
    $response = stream_get_contents($pipes[1]);
    proc_close($process);
    $body = json_decode(substr($response, strpos($response, "\r\n\r\n") + 4), true);
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
