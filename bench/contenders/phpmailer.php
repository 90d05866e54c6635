<?php
// PHPMailer from Debian's libphp-phpmailer. --mode per-mail: a new connection per
// mail, as wp_mail() uses it; --mode keepalive: SMTPKeepAlive on one connection.
require __DIR__ . '/common.php';
require '/usr/share/php/libphp-phpmailer/autoload.php';

use PHPMailer\PHPMailer\PHPMailer;

$options = bench_options();
$mailer = new PHPMailer(true);
$mailer->isSMTP();
$mailer->Host = $options['host'];
$mailer->Port = $options['port'];
$mailer->Timeout = 10;
$mailer->SMTPKeepAlive = $options['mode'] === 'keepalive';
$mailer->SMTPSecure = ['tls' => PHPMailer::ENCRYPTION_SMTPS, 'starttls' => PHPMailer::ENCRYPTION_STARTTLS][$options['security']] ?? '';
$mailer->SMTPAutoTLS = $options['security'] !== 'none';
if ($options['user'] !== '') {
    $mailer->SMTPAuth = true;
    $mailer->Username = $options['user'];
    $mailer->Password = $options['pass'];
}
if ($options['cafile'] !== '') {
    $mailer->SMTPOptions = ['ssl' => ['cafile' => $options['cafile']]];
}
$text = bench_text();

bench_run($options, function (int $i) use ($mailer, $options, $text) {
    $mailer->clearAllRecipients();
    $mailer->clearAttachments();
    $mailer->setFrom(BENCH_FROM);
    $mailer->addAddress(BENCH_TO);
    $mailer->Subject = "bench $i";
    $mailer->Body = $text;
    if ($options['attach'] !== '') {
        $mailer->addAttachment($options['attach']);
    }
    $mailer->send();
    return null;
});
$mailer->smtpClose();
