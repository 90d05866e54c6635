--TEST--
Harness: per-test smtp-sink and aiosmtpd servers start, answer as configured, and end with the test
--SKIPIF--
<?php
if (!is_executable('/usr/sbin/smtp-sink')) die('skip smtp-sink missing');
if (!is_readable('/usr/lib/python3/dist-packages/aiosmtpd/__init__.py')) die('skip python3-aiosmtpd missing');
?>
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';

function session(int $port, array $commands): void
{
    $socket = stream_socket_client("tcp://127.0.0.1:$port", $errno, $error, 10);
    stream_set_timeout($socket, 10);
    echo '  greeting ', substr(smtpx_test_smtp_reply($socket), 0, 3), "\n";
    foreach ($commands as $command) {
        $reply = smtpx_test_smtp_command($socket, $command);
        if (strncmp($command, 'EHLO', 4) === 0 && $reply[0] === '2') {
            $keywords = array_map(fn ($l) => strtoupper(strtok(substr($l, 4), ' ')), array_slice(explode("\r\n", trim($reply)), 1));
            printf("  %s -> %s, PIPELINING %s, CHUNKING %s\n", $command, substr($reply, 0, 3),
                in_array('PIPELINING', $keywords, true) ? 'yes' : 'no', in_array('CHUNKING', $keywords, true) ? 'yes' : 'no');
        } else {
            printf("  %s -> %s\n", strtok($command, "\r\n"), $reply === '' ? '(disconnected)' : trim(explode("\r\n", $reply)[0]));
        }
        if ($reply === '') {
            break;
        }
    }
    fclose($socket);
}

echo "smtp-sink default:\n";
session(smtpx_test_start_sink([])['port'], ['EHLO t.smtpx.test']);
echo "smtp-sink -p:\n";
session(smtpx_test_start_sink(['-p'])['port'], ['EHLO t.smtpx.test']);
echo "smtp-sink -e:\n";
session(smtpx_test_start_sink(['-e'])['port'], ['EHLO t.smtpx.test', 'HELO t.smtpx.test']);
echo "smtp-sink -q mail:\n";
session(smtpx_test_start_sink(['-q', 'mail'])['port'], ['EHLO t.smtpx.test', 'MAIL FROM:<a@smtpx.test>']);

echo "aiosmtpd:\n";
$aio = smtpx_test_start_aiosmtpd(['reject' => ['nobody@example.com']]);
$body = "Subject: aiosmtpd\r\nMessage-ID: <aio@smtpx.test>\r\n\r\n..leading dot\r\nline two\r\n.";
session($aio['port'], ['EHLO t.smtpx.test', 'MAIL FROM:<a@smtpx.test>', 'RCPT TO:<nobody@example.com>',
    'RCPT TO:<rejectme@example.com>', 'RCPT TO:<tempfail@example.com>', 'RCPT TO:<b@example.com>', 'DATA', $body, 'QUIT']);
$envelope = json_decode(file_get_contents("{$aio['dir']}/1.json"), true);
echo '  envelope: ', $envelope['mail_from'], ' -> ', implode(',', $envelope['rcpt_tos']), "\n";
$parsed = smtpx_test_parse_email(file_get_contents("{$aio['dir']}/1.eml"));
echo '  text: ', json_encode($parsed['text']), ', bare LF: ', var_export($parsed['raw_has_bare_lf'], true), "\n";
echo '  bare LF in a LF-only message: ', var_export(smtpx_test_parse_email("Subject: x\n\nbody\n")['raw_has_bare_lf'], true), "\n";

echo "aiosmtpd refusing DATA:\n";
session(smtpx_test_start_aiosmtpd(['data_reply' => '554 5.6.0 refused by the test'])['port'],
    ['EHLO t.smtpx.test', 'MAIL FROM:<a@smtpx.test>', 'RCPT TO:<b@example.com>', 'DATA', "Subject: x\r\n\r\nx\r\n."]);

// A script that starts a sink leaves no process behind when it ends.
$child = proc_open([PHP_BINARY, '-n', '-d', 'extension=posix', '-r',
    'require ' . var_export(__DIR__ . '/../inc/harness.inc', true) . '; echo smtpx_test_start_sink([])["pid"];'],
    [1 => ['pipe', 'w']], $pipes);
$pid = (int) stream_get_contents($pipes[1]);
proc_close($child);
echo 'sink pid after its script ended: ', $pid > 0 && !file_exists("/proc/$pid") ? 'gone' : 'still there', "\n";
?>
--EXPECT--
smtp-sink default:
  greeting 220
  EHLO t.smtpx.test -> 250, PIPELINING yes, CHUNKING no
smtp-sink -p:
  greeting 220
  EHLO t.smtpx.test -> 250, PIPELINING no, CHUNKING no
smtp-sink -e:
  greeting 220
  EHLO t.smtpx.test -> 500 5.5.1 Error: unknown command
  HELO t.smtpx.test -> 250 smtp-sink
smtp-sink -q mail:
  greeting 220
  EHLO t.smtpx.test -> 250, PIPELINING yes, CHUNKING no
  MAIL FROM:<a@smtpx.test> -> (disconnected)
aiosmtpd:
  greeting 220
  EHLO t.smtpx.test -> 250, PIPELINING no, CHUNKING no
  MAIL FROM:<a@smtpx.test> -> 250 OK
  RCPT TO:<nobody@example.com> -> 550 5.1.1 <nobody@example.com>: test peer refuses this recipient
  RCPT TO:<rejectme@example.com> -> 550 5.1.1 <rejectme@example.com>: test peer refuses this recipient
  RCPT TO:<tempfail@example.com> -> 450 4.2.0 <tempfail@example.com>: test peer defers this recipient
  RCPT TO:<b@example.com> -> 250 2.1.5 Ok
  DATA -> 354 End data with <CR><LF>.<CR><LF>
  Subject: aiosmtpd -> 250 2.0.0 Ok: saved as 1
  QUIT -> 221 Bye
  envelope: a@smtpx.test -> b@example.com
  text: ".leading dot\r\nline two\r\n", bare LF: false
  bare LF in a LF-only message: true
aiosmtpd refusing DATA:
  greeting 220
  EHLO t.smtpx.test -> 250, PIPELINING no, CHUNKING no
  MAIL FROM:<a@smtpx.test> -> 250 OK
  RCPT TO:<b@example.com> -> 250 2.1.5 Ok
  DATA -> 354 End data with <CR><LF>.<CR><LF>
  Subject: x -> 554 5.6.0 refused by the test
sink pid after its script ended: gone
