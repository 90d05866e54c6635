<?php
// smtpx. --mode warm: one Smtpx\Client keeps its connection between sends;
// --mode cold: smtpx_send(), run by bench/run in a new process per mail.
require __DIR__ . '/common.php';

$options = bench_options();
if (!extension_loaded('smtpx')) {
    fwrite(STDERR, "smtpx: not built\n");
    exit(3);
}
$transport = [
    'host' => $options['host'],
    'ports' => $options['ports'] ?: [$options['port'] . '/' . $options['security']],
    'tls' => $options['security'] === 'none' ? 'none' : 'required',
    'timeout' => 10,
];
if ($options['user'] !== '') {
    $transport['username'] = $options['user'];
    $transport['password'] = $options['pass'];
}
if ($options['cafile'] !== '') {
    $transport['cafile'] = $options['cafile'];
}
$message = ['from' => BENCH_FROM, 'to' => [BENCH_TO], 'text' => bench_text()];
if ($options['attach'] !== '') {
    $message['attachments'] = [$options['attach']];
}
$client = $options['mode'] === 'warm' ? new Smtpx\Client($transport) : null;

bench_run($options, function (int $i) use ($client, $transport, $message) {
    $message['subject'] = "bench $i";
    $result = $client ? $client->send($message) : smtpx_send($message, $transport);
    return ['reused' => $result['reused'] ?? null, 'port' => $result['port'] ?? null, 'tls' => $result['tls'] ?? null];
});
$client?->close();
