<?php
// One mail per PHP-FPM request to bench/run's smtp-sink: ?contender=smtpx uses
// smtpx_send(), whose connection the worker keeps between requests; ?contender=phpmailer
// uses PHPMailer as wp_mail() does, a new connection per mail.
require __DIR__ . '/common.php';

$port = (int) getenv('BENCH_SINK_PORT');
$contender = $_GET['contender'] ?? '';
try {
    if ($contender === 'smtpx') {
        smtpx_send(
            ['from' => BENCH_FROM, 'to' => [BENCH_TO], 'subject' => 'fpm', 'text' => bench_text()],
            ['host' => '127.0.0.1', 'ports' => ["$port/none"], 'tls' => 'none', 'timeout' => 10]
        );
    } elseif ($contender === 'phpmailer') {
        require_once '/usr/share/php/libphp-phpmailer/autoload.php';
        $mailer = new PHPMailer\PHPMailer\PHPMailer(true);
        $mailer->isSMTP();
        $mailer->Host = '127.0.0.1';
        $mailer->Port = $port;
        $mailer->SMTPAutoTLS = false;
        $mailer->Timeout = 10;
        $mailer->setFrom(BENCH_FROM);
        $mailer->addAddress(BENCH_TO);
        $mailer->Subject = 'fpm';
        $mailer->Body = bench_text();
        $mailer->send();
    } else {
        http_response_code(400);
        exit("unknown contender\n");
    }
    echo "sent\n";
} catch (Throwable $e) {
    http_response_code(500);
    echo get_class($e), ': ', $e->getMessage(), "\n";
}
