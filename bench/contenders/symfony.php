<?php
// Symfony Mailer from Debian's php-symfony-mailer. --mode keepalive (its default):
// one transport stays connected between sends; --mode per-mail: a new transport per
// mail, whose destructor sends QUIT.
require __DIR__ . '/common.php';
require '/usr/share/php/Symfony/Component/Mailer/autoload.php';

use Symfony\Component\Mailer\Transport\Smtp\EsmtpTransport;
use Symfony\Component\Mime\Email;

$options = bench_options();
$connect = function () use ($options): EsmtpTransport {
    $transport = new EsmtpTransport($options['host'], $options['port'], $options['security'] === 'tls');
    if ($options['user'] !== '') {
        $transport->setUsername($options['user']);
        $transport->setPassword($options['pass']);
    }
    if ($options['cafile'] !== '') {
        $transport->getStream()->setStreamOptions(['ssl' => ['cafile' => $options['cafile']]]);
    }
    return $transport;
};
$kept = $options['mode'] === 'per-mail' ? null : $connect();
$text = bench_text();

bench_run($options, function (int $i) use ($connect, $kept, $options, $text) {
    $email = (new Email())->from(BENCH_FROM)->to(BENCH_TO)->subject("bench $i")->text($text);
    if ($options['attach'] !== '') {
        $email->attachFromPath($options['attach']);
    }
    $transport = $kept ?? $connect();
    $transport->send($email);
    return null;
});
