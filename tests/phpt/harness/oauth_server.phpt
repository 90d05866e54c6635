--TEST--
Harness: the OAuth peer refreshes as Google and Microsoft do (rotation, revocation, scripted faults) and its submission port takes only its own tokens, by XOAUTH2 and OAUTHBEARER with their error challenges
--SKIPIF--
<?php
require __DIR__ . '/../inc/harness.inc';
if (!extension_loaded('curl')) {
    die('skip php-curl is missing (tests/peers/install-deps)');
}
smtpx_test_skip_unless_oauth();
?>
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';

$needle = bin2hex(random_bytes(6));
$mark = smtpx_test_oauth_log_mark();
$google = smtpx_test_oauth_transport('google');
$microsoft = smtpx_test_oauth_transport('microsoft');
$grants = [
    smtpx_test_oauth_fingerprint($google['oauth']['refresh_token']) => 'google',
    smtpx_test_oauth_fingerprint($microsoft['oauth']['refresh_token']) => 'microsoft',
];

/** The refresh_token grant (RFC 6749 6) as a client posts it; returns status and decoded answer. */
function refresh(array $oauth, ?string $refresh_token = null, array $change = []): array
{
    $form = ['grant_type' => 'refresh_token', 'refresh_token' => $refresh_token ?? $oauth['refresh_token'],
        'client_id' => $oauth['client_id'], 'client_secret' => $oauth['client_secret']];
    if ($oauth['provider'] === 'microsoft') {
        $form['scope'] = 'https://outlook.office.com/SMTP.Send offline_access';
    }
    $curl = curl_init($oauth['token_url']);
    curl_setopt_array($curl, [
        CURLOPT_POSTFIELDS => http_build_query(array_filter(array_merge($form, $change), fn ($v) => $v !== null)),
        CURLOPT_CAINFO => smtpx_test_peers_dir() . '/ca.pem',
        CURLOPT_RETURNTRANSFER => true,
        CURLOPT_TIMEOUT => 10,
    ]);
    $body = curl_exec($curl);
    return ['status' => curl_getinfo($curl, CURLINFO_RESPONSE_CODE), 'answer' => json_decode($body, true)];
}

function show(string $label, array $a): void
{
    $answer = $a['answer'];
    if (isset($answer['error'])) {
        // Microsoft's description ends in a trace id and a timestamp.
        $detail = "{$answer['error']}: " . preg_replace('/ Trace ID: .*$/', '', $answer['error_description']);
    } else {
        $detail = "token_type {$answer['token_type']} expires_in {$answer['expires_in']} scope {$answer['scope']} access_token "
            . strlen($answer['access_token']) . ' chars' . (isset($answer['refresh_token']) ? ', a new refresh_token' : '');
    }
    echo str_pad($label, 28), $a['status'], ' ', $detail, "\n";
}

// --- The token endpoint
$g = refresh($google['oauth']);
show('google', $g);
$m = refresh($microsoft['oauth']);
show('microsoft', $m);
$rotated = $m['answer']['refresh_token'];
echo 'rotated token differs: ', var_export($rotated !== $microsoft['oauth']['refresh_token'], true), "\n";
show('microsoft old token, grace', refresh($microsoft['oauth']));
show('microsoft old token again', refresh($microsoft['oauth']));
$m2 = refresh($microsoft['oauth'], $rotated);
show('microsoft rotated token', $m2);
show('google wrong secret', refresh($google['oauth'], null, ['client_secret' => 'wrong']));
show('google unknown client', refresh($google['oauth'], null, ['client_id' => 'someone-else']));
show('microsoft without scope', refresh($microsoft['oauth'], $m2['answer']['refresh_token'], ['scope' => null]));
show('google unknown token', refresh($google['oauth'], "rt-google-$needle"));

// --- Scripted: a 503, then a short lifetime, for this test's grant only
smtpx_test_oauth_script([
    ['refresh_token' => $google['oauth']['refresh_token'], 'status' => 503, 'retry_after' => 5],
    ['refresh_token' => $google['oauth']['refresh_token'], 'expires_in' => 30],
]);
show('google scripted 503', refresh($google['oauth']));
$short = refresh($google['oauth']);
show('google scripted expires_in', $short);

// --- Submission: STARTTLS first, then the token the endpoint issued
function smtp_open(int $port)
{
    $socket = stream_socket_client("tcp://127.0.0.1:$port", $errno, $error, 10);
    stream_set_timeout($socket, 10);
    echo 'banner ', trim(smtpx_test_smtp_reply($socket)), "\n";
    $ehlo = smtpx_test_smtp_command($socket, 'EHLO client.test');
    echo 'before TLS: AUTH offered ', var_export(str_contains($ehlo, 'AUTH'), true), ', STARTTLS offered ',
        var_export(str_contains($ehlo, 'STARTTLS'), true), "\n";
    echo 'AUTH before TLS: ', trim(smtpx_test_smtp_command($socket, 'AUTH XOAUTH2 ' . base64_encode("user=x\1auth=Bearer x\1\1"))), "\n";
    echo 'STARTTLS: ', trim(smtpx_test_smtp_command($socket, 'STARTTLS')), "\n";
    stream_context_set_option($socket, 'ssl', 'cafile', smtpx_test_peers_dir() . '/ca.pem');
    stream_context_set_option($socket, 'ssl', 'peer_name', '127.0.0.1');
    echo 'handshake verified: ', var_export(stream_socket_enable_crypto($socket, true, STREAM_CRYPTO_METHOD_TLS_CLIENT), true), "\n";
    preg_match('/^250[ -]AUTH (.*)$/m', smtpx_test_smtp_command($socket, 'EHLO client.test'), $auth);
    echo 'after TLS: AUTH ', trim($auth[1]), "\n";
    return $socket;
}

/** The AUTH dialogue with a refused token: the error challenge decoded, the client's answer, the final reply. */
function refused(string $label, $socket, string $command, string $answer): void
{
    $challenge = smtpx_test_smtp_command($socket, $command);
    echo "$label: ", substr($challenge, 0, 4), base64_decode(trim(substr($challenge, 4))), "\n";
    echo '  answered ', var_export($answer, true), ': ', str_replace("\r\n", ' | ', trim(smtpx_test_smtp_command($socket, $answer))), "\n";
}

function deliver($socket, string $subject): void
{
    foreach (['MAIL FROM:<sender@example.com>', 'RCPT TO:<rcpt@example.com>', 'DATA'] as $line) {
        $reply = smtpx_test_smtp_command($socket, $line);
    }
    echo 'DATA: ', substr($reply, 0, 3);
    $reply = smtpx_test_smtp_command($socket, "Subject: $subject\r\nMessage-ID: <$subject@smtpx.test>\r\n\r\n..dot\r\n.");
    echo ', end of data: ', substr($reply, 0, 3), "\n";
}

$user = $google['username'];
$s = smtp_open($google['port']);
echo 'MAIL before AUTH: ', trim(smtpx_test_smtp_command($s, 'MAIL FROM:<sender@example.com>')), "\n";
refused('XOAUTH2 unknown token', $s, 'AUTH XOAUTH2 ' . base64_encode("user=$user\1auth=Bearer bad-$needle\1\1"), '');
$xoauth2 = base64_encode("user=$user\1auth=Bearer {$g['answer']['access_token']}\1\1");
echo 'XOAUTH2 google token: ', trim(smtpx_test_smtp_command($s, "AUTH XOAUTH2 $xoauth2")), "\n";
deliver($s, "xoauth2-$needle");
echo 'QUIT: ', trim(smtpx_test_smtp_command($s, 'QUIT')), "\n";
fclose($s);

$s = smtp_open($microsoft['port']);
$bad = base64_encode("n,a=$user,\1host=127.0.0.1\1port={$microsoft['port']}\1auth=Bearer bad-$needle\1\1");
refused('OAUTHBEARER unknown token', $s, "AUTH OAUTHBEARER $bad", base64_encode("\1"));
refused('OAUTHBEARER wrong answer', $s, "AUTH OAUTHBEARER $bad", '');
$oauthbearer = base64_encode("n,a=$user,\1host=127.0.0.1\1port={$microsoft['port']}\1auth=Bearer {$m2['answer']['access_token']}\1\1");
echo 'OAUTHBEARER line: ', strlen("AUTH OAUTHBEARER $oauthbearer") > 2000 ? 'over 2000 octets' : 'short', "\n";
smtpx_test_oauth_script([['refresh_token' => $microsoft['oauth']['refresh_token'], 'auth_reply' => '454 4.7.0 Try again later']]);
echo 'OAUTHBEARER scripted: ', trim(smtpx_test_smtp_command($s, "AUTH OAUTHBEARER $oauthbearer")), "\n";
echo 'OAUTHBEARER microsoft token: ', trim(smtpx_test_smtp_command($s, "AUTH OAUTHBEARER $oauthbearer")), "\n";
deliver($s, "oauthbearer-$needle");
fclose($s);

foreach (["xoauth2-$needle", "oauthbearer-$needle"] as $subject) {
    $raw = smtpx_test_oauth_delivered("<$subject@smtpx.test>");
    echo 'delivered ', str_replace($needle, 'NEEDLE', $subject), ': ', var_export(str_contains($raw, "\r\n.dot\r\n"), true), "\n";
}

// --- A revoked grant: invalid_grant at the endpoint, its access token refused at AUTH
smtpx_test_oauth_revoke($google['oauth']['refresh_token']);
show('google revoked', refresh($google['oauth']));
$s = stream_socket_client('tcp://127.0.0.1:' . $google['port'], $errno, $error, 10);
smtpx_test_smtp_reply($s);
smtpx_test_smtp_command($s, 'EHLO client.test');
smtpx_test_smtp_command($s, 'STARTTLS');
stream_context_set_option($s, 'ssl', 'cafile', smtpx_test_peers_dir() . '/ca.pem');
stream_socket_enable_crypto($s, true, STREAM_CRYPTO_METHOD_TLS_CLIENT);
smtpx_test_smtp_command($s, 'EHLO client.test');
refused('XOAUTH2 revoked grant', $s, "AUTH XOAUTH2 $xoauth2", '');
fclose($s);

// --- What the log says
$entries = smtpx_test_oauth_log_since($mark);
$issued = [];
foreach ($entries as $e) {
    $mine = isset($grants[$e['grant'] ?? '']) || ($e['kind'] === 'auth' && $e['token'] === smtpx_test_oauth_fingerprint("bad-$needle"))
        || ($e['kind'] === 'token' && $e['refresh_token'] === smtpx_test_oauth_fingerprint("rt-google-$needle"));
    if (!$mine) {
        continue;
    }
    if ($e['kind'] === 'token') {
        echo 'token ', str_pad($grants[$e['grant']] ?? 'unknown', 10), $e['status'], ' client_secret ', $e['fields']['client_secret'],
            ' refresh_token ', var_export($e['fields']['refresh_token'] === $e['refresh_token'], true),
            $e['rotated'] ? ' rotated' : '', $e['error'] !== null ? " ({$e['error']})" : '',
            $e['behaviour'] !== null ? ' scripted ' . json_encode(array_diff_key($e['behaviour'], ['refresh_token' => 1])) : '', "\n";
        $issued[$e['seq']] = $e['answer']['access_token'] ?? null;
    } elseif ($e['kind'] === 'auth') {
        echo 'auth  ', str_pad($e['mechanism'], 12), $e['accepted'] ? 'accepted' : "refused ({$e['reason']})",
            $e['error_answer'] !== null ? ', answered ' . var_export($e['error_answer'], true) : '', ', ', $e['reply'];
        if ($e['issued_by'] !== null) {
            echo ', token issued by the answer it names: ', var_export($issued[$e['issued_by']] === $e['token'], true);
        }
        echo "\n";
    }
}
foreach ($entries as $e) {
    if ($e['kind'] === 'delivery' && str_contains($e['message_id'] ?? '', $needle)) {
        echo 'delivery ', $e['mechanism'], ' ', $e['user'], ' ', $e['mail_from'], ' -> ', implode(',', $e['rcpt_tos']), "\n";
    }
}
?>
--EXPECTF--
google                      200 token_type Bearer expires_in 3599 scope https://mail.google.com/ access_token 69 chars
microsoft                   200 token_type Bearer expires_in 3599 scope https://outlook.office.com/SMTP.Send access_token 1500 chars, a new refresh_token
rotated token differs: true
microsoft old token, grace  200 token_type Bearer expires_in 3599 scope https://outlook.office.com/SMTP.Send access_token 1500 chars, a new refresh_token
microsoft old token again   400 invalid_grant: AADSTS70000: The provided value for the 'refresh_token' is not valid: it was replaced by a newer refresh token.
microsoft rotated token     200 token_type Bearer expires_in 3599 scope https://outlook.office.com/SMTP.Send access_token 1500 chars, a new refresh_token
google wrong secret         401 invalid_client: Unauthorized
google unknown client       401 invalid_client: The OAuth client was not found.
microsoft without scope     400 invalid_request: AADSTS900144: The request body must contain the following parameter: 'scope'.
google unknown token        400 invalid_grant: Bad Request
google scripted 503         503 temporarily_unavailable: The service is currently unavailable.
google scripted expires_in  200 token_type Bearer expires_in 30 scope https://mail.google.com/ access_token 69 chars
banner 220 oauth.smtpx.test Python SMTP %d.%d.%d
before TLS: AUTH offered false, STARTTLS offered true
AUTH before TLS: 530 Must issue a STARTTLS command first
STARTTLS: 220 Ready to start TLS
handshake verified: true
after TLS: AUTH OAUTHBEARER XOAUTH2
MAIL before AUTH: 530 5.7.0 Authentication required
XOAUTH2 unknown token: 334 {"status":"401","schemes":"Bearer","scope":"https://mail.google.com/"}
  answered '': 535-5.7.8 Username and Password not accepted. For more information, go to | 535 5.7.8  https://support.google.com/mail/?p=BadCredentials smtpx-peer
XOAUTH2 google token: 235 2.7.0 Accepted
DATA: 354, end of data: 250
QUIT: 221 Bye
banner 220 oauth.smtpx.test Python SMTP %d.%d.%d
before TLS: AUTH offered false, STARTTLS offered true
AUTH before TLS: 530 Must issue a STARTTLS command first
STARTTLS: 220 Ready to start TLS
handshake verified: true
after TLS: AUTH OAUTHBEARER XOAUTH2
OAUTHBEARER unknown token: 334 {"status":"invalid_token","schemes":"Bearer","scope":"https://mail.google.com/"}
  answered 'AQ==': 535-5.7.8 Username and Password not accepted. For more information, go to | 535 5.7.8  https://support.google.com/mail/?p=BadCredentials smtpx-peer
OAUTHBEARER wrong answer: 334 {"status":"invalid_token","schemes":"Bearer","scope":"https://mail.google.com/"}
  answered '': 501 5.5.2 After the error challenge OAUTHBEARER expects AQ== (base64 of 0x01), not this
OAUTHBEARER line: over 2000 octets
OAUTHBEARER scripted: 454 4.7.0 Try again later
OAUTHBEARER microsoft token: 235 2.7.0 Accepted
DATA: 354, end of data: 250
delivered xoauth2-NEEDLE: true
delivered oauthbearer-NEEDLE: true
google revoked              400 invalid_grant: Token has been expired or revoked.
XOAUTH2 revoked grant: 334 {"status":"401","schemes":"Bearer","scope":"https://mail.google.com/"}
  answered '': 535-5.7.8 Username and Password not accepted. For more information, go to | 535 5.7.8  https://support.google.com/mail/?p=BadCredentials smtpx-peer
token google    200 client_secret *** refresh_token true
token microsoft 200 client_secret *** refresh_token true rotated
token microsoft 200 client_secret *** refresh_token true rotated
token microsoft 400 client_secret *** refresh_token true (rotated out: its grace of 1 use is used up)
token microsoft 200 client_secret *** refresh_token true rotated
token google    401 client_secret *** refresh_token true (wrong client_secret)
token google    401 client_secret *** refresh_token true (unknown client_id)
token microsoft 400 client_secret *** refresh_token true (no scope)
token unknown   400 client_secret *** refresh_token true (unknown refresh token)
token google    503 client_secret *** refresh_token true (scripted) scripted {"status":503,"retry_after":5}
token google    200 client_secret *** refresh_token true scripted {"expires_in":30}
auth  XOAUTH2     refused (not issued by the token endpoint), answered '', 535 5.7.8  https://support.google.com/mail/?p=BadCredentials smtpx-peer
auth  XOAUTH2     accepted, 235 2.7.0 Accepted, token issued by the answer it names: true
auth  OAUTHBEARER refused (not issued by the token endpoint), answered 'AQ==', 535 5.7.8  https://support.google.com/mail/?p=BadCredentials smtpx-peer
auth  OAUTHBEARER refused (not issued by the token endpoint), answered '', 501 5.5.2 After the error challenge OAUTHBEARER expects AQ== (base64 of 0x01), not this
auth  OAUTHBEARER refused (scripted), 454 4.7.0 Try again later, token issued by the answer it names: true
auth  OAUTHBEARER accepted, 235 2.7.0 Accepted, token issued by the answer it names: true
token google    400 client_secret *** refresh_token true (revoked)
auth  XOAUTH2     refused (grant revoked), answered '', 535 5.7.8  https://support.google.com/mail/?p=BadCredentials smtpx-peer, token issued by the answer it names: true
delivery XOAUTH2 user@example.com sender@example.com -> rcpt@example.com
delivery OAUTHBEARER user@example.com sender@example.com -> rcpt@example.com
