<?php
// smtpx. --mode warm: one Smtpx\Client keeps its connection between sends;
// --mode cold: smtpx_send(), run by bench/run in a new process per mail.
// --api NAME --endpoint URL: the same over the provider's HTTPS API, to tests/peers/api_server.py
// with the test peer's credentials (the harness's transport array).
// --oauth CLIENT: XOAUTH2 with a refresh token of CLIENT's own at tests/peers/oidc-start, got
// through its code flow; the JSON line adds the token requests the run made there.
// --dkim KEY.pem: every message signed with that key (Ed25519 when the file's name says ed25519).
require __DIR__ . '/common.php';
require dirname(__DIR__, 2) . '/tests/phpt/inc/harness.inc';
require dirname(__DIR__, 2) . '/tests/phpt/inc/oidc.inc';

$options = bench_options();
if (!extension_loaded('smtpx')) {
    fwrite(STDERR, "smtpx: not built\n");
    exit(3);
}
if ($options['api'] !== '') {
    $transport = smtpx_test_api_transport($options['api'],
        ['api_endpoint' => $options['endpoint'], 'cafile' => $options['cafile']]);
} else {
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
    if ($options['oauth'] !== '') {
        $refresh_token = smtpx_test_oidc_connect($options['oauth'])['refresh_token'];
        // The bench's host and ports, oidc.inc's OAuth settings and mailbox.
        $transport += array_diff_key(smtpx_test_oidc_transport($options['oauth'], $refresh_token), ['port' => true]);
        $grant = smtpx_test_oidc_grant_of($refresh_token);
        $mark = smtpx_test_oidc_log_mark();
    }
}
if ($options['dkim'] !== '') {
    $transport['dkim'] = ['domain' => 'example.org', 'selector' => 'bench', 'private_key' => $options['dkim'],
        'algorithm' => str_contains(basename($options['dkim']), 'ed25519') ? 'ed25519-sha256' : 'rsa-sha256'];
}
$message = ['from' => BENCH_FROM, 'to' => [BENCH_TO], 'text' => bench_text()];
if ($options['attach'] !== '') {
    $message['attachments'] = [$options['attach']];
}
$client = $options['mode'] === 'warm' ? new Smtpx\Client($transport) : null;

bench_run($options, function (int $i) use ($client, $transport, $message) {
    $message['subject'] = "bench $i";
    $result = $client ? $client->send($message) : smtpx_send($message, $transport);
    return ['reused' => $result['reused'] ?? null, 'port' => $result['port'] ?? null, 'tls' => $result['tls'] ?? null,
        'reply' => $result['reply'] ?? null];
}, isset($grant) ? fn () => ['token_requests' => count(smtpx_test_oidc_token_requests($mark, $grant))] : null);
$client?->close();
