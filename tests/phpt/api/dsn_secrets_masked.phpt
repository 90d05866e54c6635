--TEST--
No secret of a DSN shows: an OAuth token in phpinfo(), a password with a raw '?' in a ValueError
--EXTENSIONS--
smtpx
--INI--
pcre.jit=0
smtpx.dsn="smtp://me%40example.com@smtp.example.com:587?timeout=5&oauth_token=ya29.SECRET-TOKEN&debug=1"
--FILE--
<?php
ob_start();
phpinfo(INFO_MODULES);
$info = ob_get_clean();
foreach (explode("\n", str_replace(PHP_EOL, "\n", $info)) as $line) {
    if (str_starts_with($line, 'smtpx.dsn =>')) echo $line, "\n";
}
var_dump(str_contains($info, 'SECRET'));

try {
    smtpx_send(['from' => 'a@example.com', 'to' => 'b@example.com', 'text' => 'x'],
        'smtp://u:1?secret@mail.example.com?colour=blue');
} catch (ValueError $e) {
    echo $e->getMessage(), "\n";
    var_dump(str_contains($e->getMessage(), 'secret'));
}
?>
--EXPECT--
smtpx.dsn => smtp://me%40example.com@smtp.example.com:587?timeout=5&oauth_token=********&debug=1 => smtp://me%40example.com@smtp.example.com:587?timeout=5&oauth_token=********&debug=1
bool(false)
smtpx_send(): Argument #2 ($transport) dsn: unknown parameter 'colour'; known: tls_verify, cafile, timeout, connect_timeout, reply_timeout, helo, debug, oauth_token, api_fallback
bool(false)
