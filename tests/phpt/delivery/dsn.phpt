--TEST--
DSN (RFC 3461): notify, ret and envid reach Postfix as NOTIFY, ORCPT, RET and ENVID (xtext); a server without DSN (aiosmtpd) gets none and the result says dsn_ignored; bad values are a ValueError naming the field
--SKIPIF--
<?php require __DIR__ . '/../inc/harness.inc'; smtpx_test_skip_unless_peers(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$message = ['from' => 'site@example.com', 'to' => 'ann+tag@example.net', 'subject' => 'dsn', 'text' => 'x',
            'dsn' => ['notify' => 'success,FAILURE', 'ret' => 'hdrs', 'envid' => 'order=42']];

$result = smtpx_send($message, smtpx_test_transport('plain', ['debug' => true]));
foreach (explode("\n", $result['transcript']) as $line) {
    if (preg_match('/^C: (MAIL|RCPT)/', $line)) echo $line, "\n";
}
var_dump(array_key_exists('dsn_ignored', $result));

$server = smtpx_test_start_aiosmtpd();
$result = smtpx_send($message, ['host' => '127.0.0.1', 'port' => $server['port'], 'tls' => 'none', 'debug' => true]);
var_dump($result['dsn_ignored'], str_contains($result['transcript'], 'NOTIFY='));

foreach ([['notify' => 'never,success'], ['notify' => 'sometimes'], ['ret' => 'body'], ['envid' => str_repeat('x', 101)],
          ['colour' => 'red']] as $dsn) {
    try {
        smtpx_send(['dsn' => $dsn] + $message, smtpx_test_transport('plain'));
    } catch (ValueError $e) {
        echo $e->getMessage(), "\n";
    }
}
?>
--EXPECTF--
C: MAIL FROM:<site@example.com> SIZE=%d RET=HDRS ENVID=order+3D42
C: RCPT TO:<ann+tag@example.net> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;ann+2Btag@example.net
bool(false)
bool(true)
bool(false)
smtpx_send(): Argument #1 ($message) dsn.notify: 'never' cannot be combined with other values
smtpx_send(): Argument #1 ($message) dsn.notify: must be 'never' or any of 'success', 'failure', 'delay', not 'SOMETIMES'
smtpx_send(): Argument #1 ($message) dsn.ret: must be 'full' (the whole message back) or 'hdrs' (its headers)
smtpx_send(): Argument #1 ($message) dsn.envid: is longer than 100 characters
smtpx_send(): Argument #1 ($message) has an unknown key "colour" in dsn
