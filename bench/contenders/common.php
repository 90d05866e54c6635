<?php
// Shared by every contender: the run's options, the same 2 KB message for all,
// and one JSON line on stdout with per-send times, CPU and memory, which bench/run
// aggregates. Each contender only says how it sends.

const BENCH_FROM = 'bench@example.org';
const BENCH_TO = 'sink@example.org';

// --host --port --security none|starttls|tls --user --pass --cafile --count --attach --mode,
// --ports 12599/starttls,12587/starttls (smtpx's port plan, instead of --port and --security),
// --api sendgrid --endpoint https://127.0.0.1:12444 (smtpx's HTTPS API transport instead of SMTP),
// --oauth CLIENT (smtpx's OAuth2 with a grant of tests/peers/oidc-start's CLIENT instead of a password),
// --every SECONDS (a send starts every SECONDS, not straight after the last: latency, not throughput)
function bench_options(): array
{
    $given = getopt('', ['host:', 'port:', 'security:', 'user:', 'pass:', 'cafile:', 'count:', 'attach:', 'mode:', 'ports:',
        'api:', 'endpoint:', 'oauth:', 'every:', 'dkim:']);
    return [
        'host' => $given['host'] ?? '127.0.0.1',
        'port' => (int) ($given['port'] ?? 25),
        'security' => $given['security'] ?? 'none',
        'user' => $given['user'] ?? '',
        'pass' => $given['pass'] ?? '',
        'cafile' => $given['cafile'] ?? '',
        'count' => max(0, (int) ($given['count'] ?? 1)),
        'attach' => $given['attach'] ?? '',
        'mode' => $given['mode'] ?? '',
        'ports' => isset($given['ports']) ? explode(',', $given['ports']) : [],
        'api' => $given['api'] ?? '',
        'endpoint' => $given['endpoint'] ?? '',
        'oauth' => $given['oauth'] ?? '',
        'every' => (float) ($given['every'] ?? 0),
        'dkim' => $given['dkim'] ?? '',
    ];
}

// About 2 KB of plain text: 26 lines of 78 characters, the same bytes every time.
function bench_text(): string
{
    $line = str_repeat('The quick brown fox jumps over the lazy dog. ', 2);
    return implode("\r\n", array_fill(0, 26, substr($line, 0, 76))) . "\r\n";
}

function bench_cpu_seconds(): float
{
    $usage = getrusage();
    return $usage['ru_utime.tv_sec'] + $usage['ru_utime.tv_usec'] / 1e6
        + $usage['ru_stime.tv_sec'] + $usage['ru_stime.tv_usec'] / 1e6;
}

// Calls $send($i) count times; $send returns extra facts about that send (or null);
// $summary, called once at the end, adds fields of its own to the JSON line.
function bench_run(array $options, callable $send, ?callable $summary = null): void
{
    $times = [];
    $spans = [];  // [begin, end] of each send in seconds of CLOCK_MONOTONIC, as relay.py's trace
    $facts = [];
    $error = null;
    $memory_before = memory_get_usage();
    $cpu_before = bench_cpu_seconds();
    $first = hrtime(true);
    for ($i = 0; $i < $options['count']; $i++) {
        $due = $first + (int) ($i * $options['every'] * 1e9);
        if ($due > hrtime(true)) {
            usleep(intdiv($due - hrtime(true), 1000));
        }
        $start = hrtime(true);
        try {
            $fact = $send($i);
        } catch (Throwable $e) {
            $error = get_class($e) . ': ' . $e->getMessage();
            break;
        }
        $end = hrtime(true);
        $times[] = ($end - $start) / 1e9;
        $spans[] = [$start / 1e9, $end / 1e9];
        if ($fact !== null) {
            $facts[] = $fact;
        }
    }
    $cpu = bench_cpu_seconds() - $cpu_before;
    echo json_encode([
        'sent' => count($times),
        'seconds' => array_sum($times),
        'times' => $times,
        'spans' => $spans,
        'cpu' => $cpu,
        'memory_growth' => memory_get_peak_usage() - $memory_before,
        'facts' => $facts,
        'error' => $error,
    ] + ($summary ? $summary() : [])), "\n";
}
