--TEST--
An unreadable attachment path: ValueError naming attachments[N].path, and no connection is made
--SKIPIF--
<?php if (!extension_loaded('smtpx')) die('skip smtpx not built'); ?>
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
// A listener of our own: a connection attempt would sit in its backlog for accept() to find.
$server = stream_socket_server('tcp://127.0.0.1:0', $errno, $error);
$name = stream_socket_get_name($server, false);
$port = (int) substr($name, strrpos($name, ':') + 1);
$transport = ['host' => '127.0.0.1', 'port' => $port, 'tls' => 'none', 'timeout' => 2.0];
$base = ['from' => 'a@example.com', 'to' => 'b@example.com', 'subject' => 'ok', 'text' => "ok\n"];
$missing = sys_get_temp_dir() . '/smtpx-no-such-file-' . bin2hex(random_bytes(4)) . '.pdf';
$cases = [
    'missing file' => [$missing],
    'a directory' => [['path' => sys_get_temp_dir()]],
    'second entry' => [['data' => 'x', 'name' => 'a.txt'], ['path' => $missing, 'name' => 'b.pdf']],
];
foreach ($cases as $case => $attachments) {
    foreach (['smtpx_send', 'smtpx_compose'] as $function) {
        try {
            $function === 'smtpx_send'
                ? smtpx_send(['attachments' => $attachments] + $base, $transport)
                : smtpx_compose(['attachments' => $attachments] + $base);
            echo "$case, $function: no error\n";
        } catch (Throwable $e) {
            $message = str_replace([$missing, sys_get_temp_dir()], ['MISSING', 'TMP'], $e->getMessage());
            echo "$case, $function: ", get_class($e), ': ', $message, "\n";
        }
    }
}
var_dump(@stream_socket_accept($server, 0.5));
?>
--EXPECT--
missing file, smtpx_send: ValueError: smtpx_send(): Argument #1 ($message) attachments[0].path: cannot be read: MISSING: No such file or directory
missing file, smtpx_compose: ValueError: smtpx_compose(): Argument #1 ($message) attachments[0].path: cannot be read: MISSING: No such file or directory
a directory, smtpx_send: ValueError: smtpx_send(): Argument #1 ($message) attachments[0].path: is not a regular file: TMP
a directory, smtpx_compose: ValueError: smtpx_compose(): Argument #1 ($message) attachments[0].path: is not a regular file: TMP
second entry, smtpx_send: ValueError: smtpx_send(): Argument #1 ($message) attachments[1].path: cannot be read: MISSING: No such file or directory
second entry, smtpx_compose: ValueError: smtpx_compose(): Argument #1 ($message) attachments[1].path: cannot be read: MISSING: No such file or directory
bool(false)
