--TEST--
A DSN that cannot be parsed is a ValueError about the dsn, and never echoes its password
--EXTENSIONS--
smtpx
--INI--
pcre.jit=0
--FILE--
<?php
$message = ['from' => 'a@example.com', 'to' => 'b@example.com'];
foreach ([
    'mail.example.com',
    'http://alice:wonderland-42@mail.example.com',
    'smtp://alice:wonderland-42@mail.example.com:smtp',
    'smtp://alice:wonder%zzland@mail.example.com:587',
    'smtp://alice:wonderland-42@mail.example.com:587?tls_verify=maybe',
    'smtp://alice:wonderland-42@mail.example.com:587?colour=blue',
    '',
] as $dsn) {
    try {
        smtpx_send($message, $dsn);
        echo "sent\n";
    } catch (ValueError $e) {
        $text = $e->getMessage();
        echo preg_replace('/\) ([^:]+): .*/s', ') $1: ...', $text),
            str_contains($text, 'wonderland') ? " (password shown!)" : "", "\n";
    }
}
?>
--EXPECT--
smtpx_send(): Argument #2 ($transport) dsn: ...
smtpx_send(): Argument #2 ($transport) dsn: ...
smtpx_send(): Argument #2 ($transport) dsn.port: ...
smtpx_send(): Argument #2 ($transport) dsn.password: ...
smtpx_send(): Argument #2 ($transport) dsn.tls_verify: ...
smtpx_send(): Argument #2 ($transport) dsn: ...
smtpx_send(): Argument #2 ($transport) dsn: ...
