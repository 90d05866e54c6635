--TEST--
smtpx_compose() returns a whole RFC 5322 message: Date, Message-ID, From, To, Subject, MIME-Version, CRLF lines
--EXTENSIONS--
smtpx
--INI--
pcre.jit=0
--FILE--
<?php
$mime = smtpx_compose([
    'from' => 'Ann Example <ann@example.com>',
    'to' => ['bob@example.com', 'Carol <carol@example.org>'],
    'bcc' => 'hidden@example.net',
    'subject' => 'Hello',
    'text' => "Hi Bob,\nsee you.\n",
    'headers' => ['X-Tag' => 'one'],
]);
[$head, $body] = explode("\r\n\r\n", $mime, 2);
var_dump(preg_match("/(?<!\r)\n|\r(?!\n)/", $mime));    // every line ends in CRLF
$headers = [];
foreach (explode("\r\n", preg_replace("/\r\n[ \t]+/", ' ', $head)) as $line) {
    [$name, $value] = explode(':', $line, 2);
    $headers[strtolower($name)] = trim($value);
}
var_dump(strtotime($headers['date']) !== false);
var_dump((bool) preg_match('/^<[^<>@\s]+@example\.com>$/', $headers['message-id']));
var_dump($headers['from'], $headers['to'], $headers['subject'], $headers['mime-version'], $headers['x-tag']);
var_dump(isset($headers['bcc']), str_contains($mime, 'hidden@example.net'));
var_dump(str_starts_with($headers['content-type'], 'text/plain'));
var_dump($body === "Hi Bob,\r\nsee you.\r\n");

// Each call has its own Message-ID.
$again = smtpx_compose(['from' => 'ann@example.com', 'to' => 'bob@example.com', 'text' => 'x']);
preg_match('/^Message-ID: (.*)$/mi', $again, $match);
var_dump(trim($match[1]) !== $headers['message-id']);
?>
--EXPECT--
int(0)
bool(true)
bool(true)
string(29) "Ann Example <ann@example.com>"
string(42) "bob@example.com, Carol <carol@example.org>"
string(5) "Hello"
string(3) "1.0"
string(3) "one"
bool(false)
bool(false)
bool(true)
bool(true)
bool(true)
