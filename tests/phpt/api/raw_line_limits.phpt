--TEST--
smtpx_send_raw() refuses a message with a line over 998 octets or a NUL byte, naming $mime, before connecting
--EXTENSIONS--
smtpx
--INI--
pcre.jit=0
--FILE--
<?php
// Nothing listens on port 1: a connection attempt would be a ConnectException, not a ValueError.
$transport = ['host' => '127.0.0.1', 'ports' => ['1/none'], 'tls' => 'none'];
$head = "From: a@example.com\r\nTo: b@example.com\r\nSubject: raw\r\n\r\n";
foreach ([
    'a line of 999 octets' => $head . str_repeat('x', 999) . "\r\n",
    'a NUL byte' => $head . "before\0after\r\n",
] as $what => $mime) {
    try {
        smtpx_send_raw('a@example.com', ['b@example.com'], $mime, $transport);
        echo "$what: sent\n";
    } catch (ValueError $e) {
        echo "$what: ", $e->getMessage(), "\n";
    }
}
// 998 octets is the limit itself: this one gets as far as connecting.
try {
    smtpx_send_raw('a@example.com', ['b@example.com'], $head . str_repeat('x', 998) . "\r\n", $transport);
} catch (Smtpx\ConnectException $e) {
    echo "998 octets: ", get_class($e), "\n";
}
?>
--EXPECT--
a line of 999 octets: smtpx_send_raw(): Argument #3 ($mime) mime: has a line of 999 octets; at most 998 are allowed (RFC 5322 2.1.1): encode long lines (quoted-printable or base64), or let smtpx_send() compose the message
a NUL byte: smtpx_send_raw(): Argument #3 ($mime) mime: holds a NUL byte, which no mail server takes: encode binary parts (base64)
998 octets: Smtpx\ConnectException
