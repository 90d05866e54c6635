--TEST--
A 25 MB attachment is streamed: it sends under memory_limit=32M, arrives with equal sha256, and PHP's peak memory stays small
--SKIPIF--
<?php
require __DIR__ . '/inc/mime.inc';
smtpx_mime_skip(false);
if (smtpx_test_under_valgrind()) {
    die("skip 25 MB through valgrind takes too long\n");
}
?>
--INI--
memory_limit=32M
--FILE--
<?php
require __DIR__ . '/inc/mime.inc';
$dir = sys_get_temp_dir() . '/' . smtpx_mime_unique('smtpx-large');
mkdir($dir);
$path = "$dir/archive.bin";
// Written in 1 MB pieces: the file must never be in PHP's memory as a whole.
$out = fopen($path, 'wb');
for ($i = 0; $i < 25; $i++) {
    fwrite($out, random_bytes(1 << 20));
}
fclose($out);
$sha256 = hash_file('sha256', $path);

$r = smtpx_send([
    'from' => 'sender@example.com',
    'to' => 'bob@example.com',
    'subject' => smtpx_mime_unique('25 MB'),
    'text' => "A large file.\n",
    'attachments' => [$path],
], smtpx_test_transport('plain'));
$peak = memory_get_peak_usage();
unlink($path);
rmdir($dir);

// The delivered copy (about 34 MB of base64) is found and parsed without reading it into PHP.
$copy = null;
for ($until = microtime(true) + 60; $copy === null && microtime(true) < $until; usleep(200000)) {
    foreach (glob(smtpx_test_peers_dir() . '/maildir/{new,cur}/*', GLOB_BRACE) ?: [] as $file) {
        if (smtpx_test_file_contains($file, $r['message_id'])) {
            $copy = $file;
            break;
        }
    }
}
var_dump($copy !== null && filesize($copy) > 33 * 1000 * 1000);
$parser = proc_open(['/usr/bin/python3', smtpx_test_root() . '/tests/peers/parse_email.py'], [0 => ['file', $copy, 'r'], 1 => ['pipe', 'w']], $pipes);
$mail = json_decode(stream_get_contents($pipes[1]), true);
fclose($pipes[1]);
proc_close($parser);
// Other tests scan the whole maildir: do not leave them 34 MB more to read.
unlink($copy);

$attachment = $mail['attachments'][0];
var_dump($attachment['name'], $attachment['size'], $attachment['sha256'] === $sha256, $mail['defects']);
var_dump($mail['max_line_length']);
var_dump($peak < 8 * 1024 * 1024);
?>
--EXPECT--
bool(true)
string(11) "archive.bin"
int(26214400)
bool(true)
array(0) {
}
int(76)
bool(true)
