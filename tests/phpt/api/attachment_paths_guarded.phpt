--TEST--
Attachment paths and CA files obey open_basedir like PHP's file functions
--EXTENSIONS--
smtpx
--INI--
pcre.jit=0
open_basedir={PWD}
--FILE--
<?php
$message = ['from' => 'a@example.com', 'to' => 'b@example.com', 'text' => 'x'];
$transport = ['host' => '127.0.0.1', 'ports' => ['1/none'], 'tls' => 'none'];
$cases = [
    'attachment outside' => [$message + ['attachments' => ['/etc/hostname']], $transport],
    'attachment array outside' => [$message + ['attachments' => [['path' => '/etc/hostname']]], $transport],
    'array cafile outside' => [$message, ['cafile' => '/etc/ssl/certs/ca-certificates.crt'] + $transport],
    'dsn cafile outside' => [$message, 'smtp://127.0.0.1:1?cafile=/etc/ssl/certs/ca-certificates.crt'],
];
foreach ($cases as $what => [$m, $t]) {
    try {
        smtpx_send($m, $t);
        echo "$what: sent\n";
    } catch (ValueError $e) {
        echo "$what: ", $e->getMessage(), "\n";
    }
}
// Inside open_basedir the file is read, and the send gets as far as connecting.
try {
    smtpx_send($message + ['attachments' => [__FILE__]], $transport);
} catch (Smtpx\ConnectException $e) {
    echo "inside: ", get_class($e), "\n";
}
?>
--EXPECT--
attachment outside: smtpx_send(): Argument #1 ($message) attachments[0].path: is outside open_basedir, so this script may not read it: /etc/hostname
attachment array outside: smtpx_send(): Argument #1 ($message) attachments[0].path: is outside open_basedir, so this script may not read it: /etc/hostname
array cafile outside: smtpx_send(): Argument #2 ($transport) transport.cafile: is outside open_basedir, so this script may not read it: /etc/ssl/certs/ca-certificates.crt
dsn cafile outside: smtpx_send(): Argument #2 ($transport) dsn.cafile: is outside open_basedir, so this script may not read it: /etc/ssl/certs/ca-certificates.crt
inside: Smtpx\ConnectException
