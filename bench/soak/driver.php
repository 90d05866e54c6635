<?php
// The fault soak's sender (issue 10): --sends N mails through fault_relay.py to the harness's
// Postfix, in turns on four lanes: Smtpx\Client (its connection reused) and smtpx_send() (the
// pool), each over plaintext (10025) and STARTTLS with AUTH (10587). Every send carries its own
// tag (X-Smtpx-Soak header; smtpx sets the Message-ID itself and refuses one in 'headers') and
// ends delivered or as an exception; one JSON line per send goes to --out/outcomes.jsonl, as it
// happens, so the record costs the process no memory. Then the maildir is polled until our
// copies stop arriving and the properties are checked; --out/summary.json holds the verdict.
//
//   php -d extension=modules/smtpx.so bench/soak/driver.php --sends 5000 --plain-port 12601 \
//       --tls-port 12602 --run-id soak-1-... --out bench/soak/work
//
// Properties (each false fails the soak):
//   delivered_once       every send reported delivered has exactly one copy, with its Message-ID
//   failed_not_delivered every send failed with isOutcomeUnknown() false has no copy
//   no_duplicates        no tag has two copies
//   typed_exceptions     every exception is an Smtpx\Exception
//   fds_flat             open descriptors with every connection closed: the same at the end as
//                        after the warm-up
//   memory_flat          memory_get_usage() grows by at most 64 KB, VmRSS by at most 2 MB,
//                        from after the warm-up to the end

const SOAK_FROM = 'soak@example.org';
const SOAK_TO = 'soak@example.net';
const MEMORY_GROWTH_LIMIT = 64 * 1024;
const RSS_GROWTH_LIMIT_KB = 2048;
const MAILDIR_QUIET_SECONDS = 5;
const MAILDIR_BOUND_SECONDS = 240;
const CLIENT_CLOSE_CHANCE = 8;  // one Client send in this many is followed by Client::close()

$options = getopt('', ['sends:', 'plain-port:', 'tls-port:', 'run-id:', 'out:', 'peers:', 'seed:', 'keep-mail']);
$sends = (int) ($options['sends'] ?? 5000);
$run_id = $options['run-id'] ?? 'soak-' . getmypid();
$out = $options['out'] ?? __DIR__ . '/work';
$peers = rtrim($options['peers'] ?? '/tmp/smtpx-peers', '/');
// Short timeouts, so a stall (2 s in the relay) ends the send after one reply timeout. A
// connection carries a few messages (the pool's limit, a Client closed now and then, both
// like a worker's life), so the relay's faults meet every phase, not one long connection.
$timeouts = ['timeout' => 6.0, 'connect_timeout' => 3.0, 'reply_timeout' => 1.0, 'pool_max_messages' => 8];
mt_srand(crc32($options['seed'] ?? '1'));
$transports = [
    'plain' => ['host' => '127.0.0.1', 'ports' => [$options['plain-port'] . '/none'], 'tls' => 'none'] + $timeouts,
    'tls' => [
        'host' => '127.0.0.1', 'ports' => [$options['tls-port'] . '/starttls'],
        'username' => 'alice', 'password' => 'wonderland-42', 'cafile' => "$peers/ca.pem",
    ] + $timeouts,
];
$lanes = [['client', 'plain'], ['client', 'tls'], ['pool', 'plain'], ['pool', 'tls']];
$clients = ['plain' => new Smtpx\Client($transports['plain']), 'tls' => new Smtpx\Client($transports['tls'])];

// About 2 KB of text; every 25th message also carries 300 KB, so its content goes in two
// chunks (the core streams 256 KB at a time, BDAT or DATA) and faults land between them too.
$text = implode("\r\n", array_fill(0, 26, str_repeat('soak ', 15))) . "\r\n";
$large = str_repeat(hash('sha256', 'soak', true), 300 * 1024 / 32);

function soak_message(string $tag, int $i): array
{
    global $text, $large;
    $message = [
        'from' => SOAK_FROM, 'to' => [SOAK_TO], 'subject' => "fault soak $tag", 'text' => $text,
        'headers' => ['X-Smtpx-Soak' => $tag],
    ];
    if ($i % 25 === 24) {
        $message['attachments'] = [['data' => $large, 'name' => 'large.bin']];
    }
    return $message;
}

function open_fds(): int
{
    return count(scandir('/proc/self/fd')) - 2;
}

function vm_rss_kb(): int
{
    preg_match('/^VmRSS:\s+(\d+)/m', file_get_contents('/proc/self/status'), $match);
    return (int) $match[1];
}

// Every connection closed, so the count says what the process holds, not what the faults left.
function checkpoint(array $clients, int $after): array
{
    foreach ($clients as $client) {
        $client->close();
    }
    smtpx_pool_close();
    gc_collect_cycles();
    return ['after_sends' => $after, 'fds' => open_fds(), 'memory' => memory_get_usage(), 'rss_kb' => vm_rss_kb()];
}

function send_one(array $lane, string $tag, int $i, array $clients, array $transports): array
{
    [$api, $security] = $lane;
    $record = ['i' => $i, 'tag' => $tag, 'lane' => "$api-$security", 't0' => hrtime(true) / 1e9];
    try {
        $message = soak_message($tag, $i);
        $result = $api === 'client'
            ? $clients[$security]->send($message)
            : smtpx_send($message, $transports[$security]);
        $record += ['outcome' => 'delivered', 'message_id' => $result['message_id'], 'reused' => $result['reused']];
    } catch (Smtpx\Exception $e) {
        $record += [
            'outcome' => 'failed', 'class' => get_class($e), 'transient' => $e->isTransient(),
            'unknown' => $e->isOutcomeUnknown(), 'phase' => $e->getPhase(), 'code' => $e->getSmtpCode(),
            'message' => substr($e->getMessage(), 0, 200),
        ];
    } catch (Throwable $e) {
        $record += ['outcome' => 'untyped', 'class' => get_class($e), 'message' => substr($e->getMessage(), 0, 200)];
    }
    $record['t1'] = hrtime(true) / 1e9;
    return $record;
}

// tag => [Message-IDs of its copies]: each maildir file is read once (files are only ever
// renamed into new/), its first 16 KB, where Postfix's added headers and ours are.
function scan_maildir(string $maildir, string $run_id, array &$seen, array &$copies): void
{
    $pattern = '/^X-Smtpx-Soak: (' . preg_quote($run_id, '/') . '-\d+)\r?$/mi';
    foreach (['new', 'cur'] as $sub) {
        foreach (scandir("$maildir/$sub") ?: [] as $name) {
            if ($name[0] === '.' || isset($seen["$sub/$name"])) {
                continue;
            }
            $seen["$sub/$name"] = true;
            $head = @file_get_contents("$maildir/$sub/$name", false, null, 0, 16384);
            if ($head !== false && preg_match($pattern, $head, $tag)) {
                preg_match('/^Message-ID: <([^>]+)>/mi', $head, $id);
                $copies[$tag[1]][] = ['file' => "$sub/$name", 'message_id' => $id[1] ?? null];
            }
        }
    }
}

@mkdir($out, 0755, true);
$log = fopen("$out/outcomes.jsonl", 'w');
$warm_up = min(200, max(4, intdiv($sends, 10)));  // the first sends load TLS and fill caches
$samples = [];
$along = [];  // every 500 sends, connections as they are
$started = hrtime(true);
$tally = ['delivered' => 0, 'failed' => 0, 'untyped' => 0];
for ($i = 0; $i < $sends; $i++) {
    if ($i === $warm_up) {
        $samples[] = checkpoint($clients, $i);
    }
    $lane = $lanes[$i % 4];
    $record = send_one($lane, "$run_id-$i", $i, $clients, $transports);
    if ($lane[0] === 'client' && mt_rand(1, CLIENT_CLOSE_CHANCE) === 1) {
        $clients[$lane[1]]->close();
    }
    $tally[$record['outcome']]++;
    fwrite($log, json_encode($record, JSON_UNESCAPED_SLASHES) . "\n");
    if (($i + 1) % 500 === 0) {
        $along[] = ['after_sends' => $i + 1, 'fds' => open_fds(), 'memory' => memory_get_usage(), 'rss_kb' => vm_rss_kb()];
        fprintf(STDERR, "[soak] %d/%d sends: %d delivered, %d failed\n", $i + 1, $sends, $tally['delivered'], $tally['failed']);
    }
}
$samples[] = checkpoint($clients, $sends);
fclose($log);
$send_seconds = (hrtime(true) - $started) / 1e9;

// Until our copies stop arriving: MAILDIR_QUIET_SECONDS without a new one once every
// delivered send has its copy, at most MAILDIR_BOUND_SECONDS.
$seen = [];
$copies = [];
$maildir = "$peers/maildir";
$waited_from = microtime(true);
$last_count = -1;
$quiet_since = microtime(true);
do {
    scan_maildir($maildir, $run_id, $seen, $copies);
    $count = array_sum(array_map('count', $copies));
    if ($count !== $last_count) {
        $last_count = $count;
        $quiet_since = microtime(true);
    }
    $quiet = microtime(true) - $quiet_since >= MAILDIR_QUIET_SECONDS;
    if ($quiet && count($copies) >= $tally['delivered']) {
        break;
    }
    sleep(1);
} while (microtime(true) - $waited_from < MAILDIR_BOUND_SECONDS);
$drain_seconds = microtime(true) - $waited_from;

$violations = ['delivered_once' => [], 'failed_not_delivered' => [], 'no_duplicates' => [], 'typed_exceptions' => []];
$by_outcome = [];
$copies_of_unknown = [0 => 0, 1 => 0];
foreach (file("$out/outcomes.jsonl") as $line) {
    $record = json_decode($line, true);
    $found = $copies[$record['tag']] ?? [];
    $key = $record['outcome'] === 'failed'
        ? sprintf('%s phase=%s transient=%s unknown=%s', $record['class'], $record['phase'],
            $record['transient'] ? 'yes' : 'no', $record['unknown'] ? 'yes' : 'no')
        : ($record['outcome'] === 'untyped' ? 'untyped ' . $record['class'] : 'delivered');
    $by_outcome[$key] = ($by_outcome[$key] ?? 0) + 1;
    $brief = ['tag' => $record['tag'], 'lane' => $record['lane'], 'copies' => count($found)] + array_intersect_key($record, array_flip(['class', 'phase', 'message']));
    if (count($found) > 1) {
        $violations['no_duplicates'][] = $brief;
    }
    if ($record['outcome'] === 'delivered') {
        if (count($found) !== 1 || $found[0]['message_id'] !== $record['message_id']) {
            $violations['delivered_once'][] = $brief + ['message_id' => $record['message_id']];
        }
    } elseif ($record['outcome'] === 'untyped') {
        $violations['typed_exceptions'][] = $brief;
    } elseif (!$record['unknown'] && count($found) > 0) {
        $violations['failed_not_delivered'][] = $brief;
    } elseif ($record['unknown']) {
        $copies_of_unknown[min(count($found), 1)]++;
    }
}
ksort($by_outcome);

[$warm, $end] = [$samples[0], $samples[count($samples) - 1]];
$properties = [];
foreach ($violations as $name => $list) {
    $properties[$name] = ['ok' => $list === [], 'violations' => count($list), 'first' => array_slice($list, 0, 5)];
}
$properties['fds_flat'] = ['ok' => $end['fds'] === $warm['fds'], 'warm' => $warm['fds'], 'end' => $end['fds']];
$properties['memory_flat'] = [
    'ok' => $end['memory'] - $warm['memory'] <= MEMORY_GROWTH_LIMIT && $end['rss_kb'] - $warm['rss_kb'] <= RSS_GROWTH_LIMIT_KB,
    'memory_growth' => $end['memory'] - $warm['memory'], 'rss_growth_kb' => $end['rss_kb'] - $warm['rss_kb'],
];

// Our copies would slow every other test that searches the shared maildir: they go.
$removed = 0;
if (!isset($options['keep-mail'])) {
    foreach ($copies as $list) {
        foreach ($list as $copy) {
            $removed += @unlink("$maildir/{$copy['file']}") ? 1 : 0;
        }
    }
}

$summary = [
    'run_id' => $run_id, 'sends' => $sends, 'tally' => $tally, 'by_outcome' => $by_outcome,
    'copies_found' => array_sum(array_map('count', $copies)), 'tags_with_copies' => count($copies),
    'outcome_unknown_copies' => ['none' => $copies_of_unknown[0], 'one' => $copies_of_unknown[1]],
    'send_seconds' => round($send_seconds, 1), 'drain_seconds' => round($drain_seconds, 1),
    'warm_up_sends' => $warm_up, 'samples' => $samples, 'samples_along' => $along, 'properties' => $properties,
    'ok' => !in_array(false, array_column($properties, 'ok'), true), 'copies_removed' => $removed,
];
file_put_contents("$out/summary.json", json_encode($summary, JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES) . "\n");
exit($summary['ok'] ? 0 : 1);
