--TEST--
A forked child never uses nor closes the connection its parent keeps in the pool
--SKIPIF--
<?php
require __DIR__ . '/../inc/harness.inc';
smtpx_test_skip_unless_peers();
if (!function_exists('pcntl_fork')) die('skip pcntl needed');
?>
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
require __DIR__ . '/sink_count.inc';
$sink = smtpx_test_start_sink(['-v']);
$before = delivery_sink_counts($sink);
var_dump(smtpx_send(delivery_message(), delivery_sink_transport($sink))['reused']);
$child = pcntl_fork();
if ($child === 0) {
    // The child's first send opens its own connection; the parent's is left alone, without QUIT.
    $result = smtpx_send(delivery_message(), delivery_sink_transport($sink));
    $stats = smtpx_pool_stats();
    file_put_contents(sys_get_temp_dir() . '/smtpx-fork-' . posix_getppid(),
                      json_encode([$result['reused'], $stats['dropped']['fork'], $stats['opened']]));
    smtpx_pool_close();
    posix_kill(getmypid(), SIGKILL); // no shutdown functions of the parent's test harness in the child
}
pcntl_waitpid($child, $status);
$file = sys_get_temp_dir() . '/smtpx-fork-' . getmypid();
echo "child: reused, dropped on fork, opened: ", file_get_contents($file), "\n";
unlink($file);
var_dump(smtpx_send(delivery_message(), delivery_sink_transport($sink))['reused']);
$after = delivery_sink_counts($sink);
echo $after['connections'] - $before['connections'], " connections, ", $after['quits'] - $before['quits'], " QUIT\n";
?>
--EXPECT--
bool(false)
child: reused, dropped on fork, opened: [false,1,1]
bool(true)
2 connections, 1 QUIT
