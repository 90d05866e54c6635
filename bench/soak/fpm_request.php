<?php
// One PHP-FPM request of the soak's worker part: one mail through smtpx_send() (the pool keeps
// its connection between requests) to the soak's smtp-sink; ?attach=1 adds the 1 MB file
// SOAK_ATTACHMENT. Any failure is a 500, which the soak counts.
$message = [
    'from' => 'soak@example.org', 'to' => ['soak@example.net'], 'subject' => 'fpm soak',
    'text' => str_repeat("One request, one mail, one worker.\r\n", 50),
];
if (isset($_GET['attach'])) {
    $message['attachments'] = [getenv('SOAK_ATTACHMENT')];
}
$port = (int) getenv('SOAK_SINK_PORT');
try {
    smtpx_send($message, ['host' => '127.0.0.1', 'ports' => ["$port/none"], 'tls' => 'none', 'timeout' => 10]);
    echo "sent\n";
} catch (Throwable $e) {
    http_response_code(500);
    echo get_class($e), ': ', $e->getMessage(), "\n";
}
