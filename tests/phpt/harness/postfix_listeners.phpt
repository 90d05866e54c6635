--TEST--
Harness: the five Postfix listeners offer what the contract says
--SKIPIF--
<?php require __DIR__ . '/../inc/harness.inc'; smtpx_test_skip_unless_peers(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';

function ehlo_keywords(string $reply): array
{
    $keywords = [];
    foreach (array_slice(explode("\r\n", trim($reply)), 1) as $line) {
        $keywords[] = strtoupper(substr($line, 4));
    }
    return $keywords;
}

function tls_context(string $peer_name): array
{
    $cafile = smtpx_test_transport('submission')['cafile'];
    return ['ssl' => ['cafile' => $cafile, 'peer_name' => $peer_name, 'verify_peer' => true, 'verify_peer_name' => true]];
}

function connect(string $which)
{
    $port = (int) smtpx_test_transport($which)['port'];
    $socket = stream_socket_client("tcp://127.0.0.1:$port", $errno, $error, 10);
    stream_set_timeout($socket, 10);
    return $socket;
}

foreach (['submission', 'plain', 'auth_no_tls', 'wrong_host'] as $which) {
    $socket = connect($which);
    $greeting = smtpx_test_smtp_reply($socket);
    $keywords = ehlo_keywords(smtpx_test_smtp_command($socket, 'EHLO harness.smtpx.test'));
    $auth = preg_grep('/^AUTH /', $keywords);
    printf("%s: greeting %s, STARTTLS %s, AUTH %s, %s\n", $which, substr($greeting, 0, 3),
        in_array('STARTTLS', $keywords, true) ? 'yes' : 'no', $auth ? implode(',', $auth) : 'no',
        implode(',', preg_grep('/^SIZE /', $keywords)));
    fclose($socket);
}

// Submission: after STARTTLS with the harness CA, AUTH PLAIN and LOGIN are offered.
$socket = connect('submission');
smtpx_test_smtp_reply($socket);
smtpx_test_smtp_command($socket, 'EHLO harness.smtpx.test');
echo 'STARTTLS: ', smtpx_test_smtp_command($socket, 'STARTTLS');
// stream_context_set_option() with an array is deprecated since PHP 8.4 and its successor
// is 8.3's: set_params takes the same options on every PHP 8.
stream_context_set_params($socket, ['options' => tls_context('127.0.0.1')]);
var_dump(stream_socket_enable_crypto($socket, true, STREAM_CRYPTO_METHOD_TLSv1_2_CLIENT | STREAM_CRYPTO_METHOD_TLSv1_3_CLIENT));
echo 'after TLS: ', implode(',', preg_grep('/^AUTH /', ehlo_keywords(smtpx_test_smtp_command($socket, 'EHLO harness.smtpx.test')))), "\n";
echo 'wrong password: ', substr(smtpx_test_smtp_command($socket, 'AUTH PLAIN ' . base64_encode("\0alice\0wrong")), 0, 9), "\n";
echo 'right password: ', substr(smtpx_test_smtp_command($socket, 'AUTH PLAIN ' . base64_encode("\0alice\0wonderland-42")), 0, 9), "\n";
fclose($socket);

// Implicit TLS: the greeting comes over TLS, and the certificate names 127.0.0.1 and localhost.
foreach (['127.0.0.1', 'localhost'] as $name) {
    $port = (int) smtpx_test_transport('implicit')['port'];
    $socket = stream_socket_client("tls://127.0.0.1:$port", $errno, $error, 10, STREAM_CLIENT_CONNECT, stream_context_create(tls_context($name)));
    echo "implicit as $name: ", substr(smtpx_test_smtp_reply($socket), 0, 3), "\n";
    fclose($socket);
}

// Wrong host: the certificate is signed by the harness CA but names wrong.example only.
foreach (['127.0.0.1', 'wrong.example'] as $name) {
    $socket = connect('wrong_host');
    smtpx_test_smtp_reply($socket);
    smtpx_test_smtp_command($socket, 'EHLO harness.smtpx.test');
    smtpx_test_smtp_command($socket, 'STARTTLS');
    stream_context_set_params($socket, ['options' => tls_context($name)]);
    $verified = @stream_socket_enable_crypto($socket, true, STREAM_CRYPTO_METHOD_TLSv1_2_CLIENT | STREAM_CRYPTO_METHOD_TLSv1_3_CLIENT);
    echo "wrong_host verified as $name: ", var_export($verified, true), "\n";
    fclose($socket);
}
?>
--EXPECT--
submission: greeting 220, STARTTLS yes, AUTH no, SIZE 10240000
plain: greeting 220, STARTTLS no, AUTH no, SIZE 52428800
auth_no_tls: greeting 220, STARTTLS no, AUTH AUTH PLAIN LOGIN, SIZE 52428800
wrong_host: greeting 220, STARTTLS yes, AUTH no, SIZE 52428800
STARTTLS: 220 2.0.0 Ready to start TLS
bool(true)
after TLS: AUTH PLAIN LOGIN
wrong password: 535 5.7.8
right password: 235 2.7.0
implicit as 127.0.0.1: 220
implicit as localhost: 220
wrong_host verified as 127.0.0.1: false
wrong_host verified as wrong.example: true
