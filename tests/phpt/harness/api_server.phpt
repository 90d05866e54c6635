--TEST--
Harness: the API peer answers each provider's send endpoint as its reference documents it, checks SigV4 like a PHP signer, keeps one connection, and scripts faults
--SKIPIF--
<?php
require __DIR__ . '/../inc/harness.inc';
if (!extension_loaded('curl')) {
    die('skip php-curl is missing (tests/peers/install-deps)');
}
smtpx_test_skip_unless_api();
?>
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';

// Every request carries this header, so the log entries of this test are found among others'.
$needle = bin2hex(random_bytes(6));
ob_start(fn (string $output): string => str_replace($needle, 'NEEDLE', $output));
$mark = smtpx_test_api_log_mark();
// One handle for all: libcurl keeps its connection between requests, the peer must too.
$curl = curl_init();

/** POSTs $body to the peer; returns status, lower-cased headers of the final answer, body. */
function api_post(CurlHandle $curl, string $path, array $headers, string|array $body, int $timeout = 10): array
{
    global $needle;
    $answer = ['headers' => []];
    curl_reset($curl);
    curl_setopt_array($curl, [
        CURLOPT_URL => smtpx_test_api_endpoint() . $path,
        CURLOPT_POST => true,
        CURLOPT_POSTFIELDS => $body,
        CURLOPT_HTTPHEADER => array_merge($headers, ["X-Test-Needle: $needle"]),
        CURLOPT_CAINFO => smtpx_test_peers_dir() . '/ca.pem',
        CURLOPT_RETURNTRANSFER => true,
        CURLOPT_TIMEOUT => $timeout,
        CURLOPT_HEADERFUNCTION => static function ($curl, string $line) use (&$answer): int {
            if (str_starts_with($line, 'HTTP/')) {
                $answer['headers'] = []; // a 100 Continue came first: keep the final answer's
            } elseif (str_contains($line, ':')) {
                [$name, $value] = explode(':', $line, 2);
                $answer['headers'][strtolower($name)] = trim($value);
            }
            return strlen($line);
        },
    ]);
    $answer['body'] = curl_exec($curl);
    $answer['status'] = curl_getinfo($curl, CURLINFO_RESPONSE_CODE);
    $answer['errno'] = curl_errno($curl);
    $answer['new_connections'] = curl_getinfo($curl, CURLINFO_NUM_CONNECTS);
    return $answer;
}

function show(string $label, array $answer, ?string $body = null): void
{
    echo str_pad($label, 24), $answer['status'], ' ', $body ?? $answer['body'], "\n";
}

$raw = implode("\r\n", [
    'From: Alice <alice@example.com>',
    'To: Bob <bob@example.com>',
    "Subject: raw $needle",
    "Message-ID: <$needle@smtpx.test>",
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=UTF-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    'Grüße',
    '',
]);
$new_connections = 0;

// --- SendGrid
$sendgrid = smtpx_test_api_transport('sendgrid');
$mail = [
    'personalizations' => [['to' => [['email' => 'bob@example.com', 'name' => 'Bob']]]],
    'from' => ['email' => 'alice@example.com', 'name' => 'Alice'],
    'subject' => "sendgrid $needle",
    'content' => [['type' => 'text/plain', 'value' => 'Grüße'], ['type' => 'text/html', 'value' => '<p>Grüße</p>']],
    'attachments' => [['content' => base64_encode('hello'), 'type' => 'text/plain', 'filename' => 'hello.txt', 'disposition' => 'attachment']],
];
$json = ['Content-Type: application/json'];
$a = api_post($curl, '/v3/mail/send', array_merge($json, ["Authorization: Bearer {$sendgrid['api_key']}"]), json_encode($mail));
show('sendgrid', $a, var_export($a['body'], true) . ' X-Message-Id ' . (strlen($a['headers']['x-message-id'] ?? '') > 10 ? 'set' : 'missing'));
$a = api_post($curl, '/v3/mail/send', array_merge($json, ['Authorization: Bearer SG.wrong']), json_encode($mail));
$new_connections += $a['new_connections'];
show('sendgrid wrong key', $a);

// --- Mailgun: the raw message as a file part of a multipart form
$mailgun = smtpx_test_api_transport('mailgun');
$form = ['to' => 'bob@example.com', 'message' => new CURLStringFile($raw, 'message.mime', 'message/rfc822')];
$a = api_post($curl, "/v3/{$mailgun['domain']}/messages.mime", ["Authorization: Basic " . base64_encode("api:{$mailgun['api_key']}")], $form);
$new_connections += $a['new_connections'];
show('mailgun', $a, preg_replace('/"id":"<[^>]+>"/', '"id":"<ID>"', $a['body']));
$a = api_post($curl, "/v3/{$mailgun['domain']}/messages.mime", ['Authorization: Basic ' . base64_encode('api:wrong')], $form);
$new_connections += $a['new_connections'];
show('mailgun wrong key', $a);

// --- SES v2: signed here, independently of the peer's verification (SigV4)
/** The SigV4 signature of a request whose headers are given lower-cased, all of them signed. */
function sigv4_signature(string $method, string $path, array $headers, string $body, string $secret, string $region, string $service): string
{
    ksort($headers);
    $canonical_headers = '';
    foreach ($headers as $name => $value) {
        $canonical_headers .= "$name:$value\n";
    }
    $canonical = implode("\n", [$method, $path, '', $canonical_headers, implode(';', array_keys($headers)), hash('sha256', $body)]);
    $date = substr($headers['x-amz-date'], 0, 8);
    $string_to_sign = implode("\n", ['AWS4-HMAC-SHA256', $headers['x-amz-date'], "$date/$region/$service/aws4_request", hash('sha256', $canonical)]);
    $key = 'AWS4' . $secret;
    foreach ([$date, $region, $service, 'aws4_request'] as $part) {
        $key = hash_hmac('sha256', $part, $key, true);
    }
    return hash_hmac('sha256', $string_to_sign, $key);
}
// The signer first reproduces AWS's own example (SigV4 test suite, "get-vanilla").
echo 'PHP signer agrees with AWS get-vanilla: ', var_export(sigv4_signature('GET', '/', ['host' => 'example.amazonaws.com', 'x-amz-date' => '20150830T123600Z'],
    '', 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', 'us-east-1', 'service') === '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31', true), "\n";

function ses_headers(array $ses, string $body, string $secret): array
{
    $endpoint = parse_url($ses['api_endpoint']);
    $signed = ['content-type' => 'application/json', 'host' => "{$endpoint['host']}:{$endpoint['port']}", 'x-amz-date' => gmdate('Ymd\THis\Z')];
    $signature = sigv4_signature('POST', '/v2/email/outbound-emails', $signed, $body, $secret, $ses['region'], 'ses');
    $scope = substr($signed['x-amz-date'], 0, 8) . "/{$ses['region']}/ses/aws4_request";
    return ['Content-Type: application/json', "X-Amz-Date: {$signed['x-amz-date']}",
        "Authorization: AWS4-HMAC-SHA256 Credential={$ses['api_key']}/$scope, SignedHeaders=content-type;host;x-amz-date, Signature=$signature"];
}
$ses = smtpx_test_api_transport('ses');
$request = json_encode(['Content' => ['Raw' => ['Data' => base64_encode($raw)]]]);
$a = api_post($curl, '/v2/email/outbound-emails', ses_headers($ses, $request, $ses['secret']), $request);
$new_connections += $a['new_connections'];
show('ses', $a, preg_replace('/"MessageId":"[^"]+"/', '"MessageId":"ID"', $a['body']));
$a = api_post($curl, '/v2/email/outbound-emails', ses_headers($ses, $request, 'wrong-secret'), $request);
$new_connections += $a['new_connections'];
show('ses wrong secret', $a, $a['headers']['x-amzn-errortype'] . ' ' . json_decode($a['body'], true)['message']);
$tampered = str_replace('"Raw"', '"Raw" ', $request);
$a = api_post($curl, '/v2/email/outbound-emails', ses_headers($ses, $request, $ses['secret']), $tampered);
$new_connections += $a['new_connections'];
show('ses body changed', $a, strtok($a['headers']['x-amzn-errortype'], ':'));
$a = api_post($curl, '/v2/email/outbound-emails', ses_headers(['api_key' => 'AKIDOTHER'] + $ses, $request, $ses['secret']), $request);
$new_connections += $a['new_connections'];
show('ses unknown key', $a, strtok($a['headers']['x-amzn-errortype'], ':') . ' ' . $a['body']);

// --- Postmark
$postmark = smtpx_test_api_transport('postmark');
$mail = ['From' => 'Alice <alice@example.com>', 'To' => 'bob@example.com', 'Subject' => "postmark $needle", 'TextBody' => 'Grüße',
    'Attachments' => [['Name' => 'hello.txt', 'Content' => base64_encode('hello'), 'ContentType' => 'text/plain']], 'MessageStream' => 'outbound'];
$a = api_post($curl, '/email', array_merge($json, ['Accept: application/json', "X-Postmark-Server-Token: {$postmark['api_key']}"]), json_encode($mail));
$new_connections += $a['new_connections'];
$answer = json_decode($a['body'], true);
show('postmark', $a, "To {$answer['To']} ErrorCode {$answer['ErrorCode']} Message {$answer['Message']} MessageID "
    . (preg_match('/^[0-9a-f-]{36}$/', $answer['MessageID']) ? 'uuid' : $answer['MessageID']) . ' SubmittedAt ' . (strtotime($answer['SubmittedAt']) ? 'date' : '?'));
$a = api_post($curl, '/email', array_merge($json, ['X-Postmark-Server-Token: wrong']), json_encode($mail));
$new_connections += $a['new_connections'];
show('postmark wrong token', $a);

// --- Brevo
$brevo = smtpx_test_api_transport('brevo');
$mail = ['sender' => ['name' => 'Alice', 'email' => 'alice@example.com'], 'to' => [['email' => 'bob@example.com', 'name' => 'Bob']],
    'subject' => "brevo $needle", 'textContent' => 'Grüße', 'headers' => ['X-Mailer' => 'smtpx test'],
    'attachment' => [['content' => base64_encode('hello'), 'name' => 'hello.txt']]];
$a = api_post($curl, '/v3/smtp/email', array_merge($json, ["api-key: {$brevo['api_key']}"]), json_encode($mail));
$new_connections += $a['new_connections'];
show('brevo', $a, preg_replace('/"messageId":"<[^>]+>"/', '"messageId":"<ID>"', $a['body']));
$a = api_post($curl, '/v3/smtp/email', array_merge($json, ['api-key: wrong']), json_encode($mail));
$new_connections += $a['new_connections'];
show('brevo wrong key', $a);

// --- Requests the providers refuse, each in its own error shape
$a = api_post($curl, '/v3/mail/send', array_merge($json, ["Authorization: Bearer {$sendgrid['api_key']}"]),
    json_encode(['personalizations' => [['to' => [['email' => 'bob@example.com']]]], 'subject' => 's', 'content' => [['type' => 'text/plain', 'value' => 'x']],
        'from' => ['email' => 'alice@example.com'], 'headers' => ['Reply-To' => 'x@example.com']]));
$new_connections += $a['new_connections'];
show('sendgrid bad header', $a);
$a = api_post($curl, "/v3/{$mailgun['domain']}/messages.mime", ["Authorization: Basic " . base64_encode("api:{$mailgun['api_key']}")],
    ['message' => new CURLStringFile($raw, 'message.mime', 'message/rfc822')]);
$new_connections += $a['new_connections'];
show('mailgun without to', $a);
$request = json_encode(['Content' => ['Raw' => ['Data' => base64_encode("Subject: no one\r\n\r\nx\r\n")]]]);
$a = api_post($curl, '/v2/email/outbound-emails', ses_headers($ses, $request, $ses['secret']), $request);
$new_connections += $a['new_connections'];
show('ses without recipients', $a, $a['headers']['x-amzn-errortype'] . ' ' . $a['body']);
$a = api_post($curl, '/email', array_merge($json, ["X-Postmark-Server-Token: {$postmark['api_key']}"]),
    json_encode(['From' => 'alice@example.com', 'To' => implode(',', array_map(fn (int $i): string => "r$i@example.com", range(1, 51))), 'TextBody' => 'x']));
$new_connections += $a['new_connections'];
show('postmark 51 recipients', $a);
$a = api_post($curl, '/v3/smtp/email', array_merge($json, ["api-key: {$brevo['api_key']}"]),
    json_encode(['sender' => ['email' => 'alice@example.com'], 'to' => [['email' => 'bob@example.com']], 'subject' => 's', 'textContent' => 'x',
        'attachment' => [['name' => 'a.txt', 'content' => "aGVs\nbG8="]]]));
$new_connections += $a['new_connections'];
show('brevo wrapped base64', $a);

// --- A scripted 429 with Retry-After, used up by the one request it matches
$mail = ['personalizations' => [['to' => [['email' => 'bob@example.com']]]], 'from' => ['email' => 'alice@example.com'],
    'subject' => "throttled $needle", 'content' => [['type' => 'text/plain', 'value' => 'x']]];
smtpx_test_api_script([['provider' => 'sendgrid', 'contains' => "throttled $needle", 'status' => 429, 'retry_after' => 7]]);
$headers = array_merge($json, ["Authorization: Bearer {$sendgrid['api_key']}"]);
$a = api_post($curl, '/v3/mail/send', $headers, json_encode($mail));
$new_connections += $a['new_connections'];
show('scripted 429', $a, 'Retry-After ' . $a['headers']['retry-after'] . ' ' . $a['body']);
$a = api_post($curl, '/v3/mail/send', $headers, json_encode($mail));
$new_connections += $a['new_connections'];
show('the retry', $a, var_export($a['body'], true));
echo 'new connections after the first: ', $new_connections, "\n";

// --- No answer: a connection closed after the request was read, a request held until the client
// gives up. On a kept connection libcurl takes the close for a stale connection and sends the
// request again on a new one, by itself: the peer sees it twice (the client must not let
// that happen to mail: an answerless close means the outcome is unknown).
$brevo_headers = array_merge($json, ["api-key: {$brevo['api_key']}"]);
smtpx_test_api_script([['provider' => 'brevo', 'contains' => "resent $needle", 'close_after_request' => true],
    ['provider' => 'brevo', 'contains' => "resent $needle", 'close_after_request' => true]]);
// libcurl 7.88 (Debian 12) calls that close CURLE_GOT_NOTHING, 8.14 (Debian 13) over TLS
// CURLE_RECV_ERROR: both are "no answer" (and both outcome unknown to https_client.cc).
$no_answer = static fn (int $errno) => in_array($errno, [CURLE_GOT_NOTHING, CURLE_RECV_ERROR], true) ? 'no answer' : $errno;
$a = api_post($curl, '/v3/smtp/email', $brevo_headers, json_encode(['subject' => "resent $needle"]));
echo 'closed on a kept connection: curl error ', $no_answer($a['errno']), "\n";
smtpx_test_api_script([['provider' => 'brevo', 'contains' => "closed $needle", 'close_after_request' => true],
    ['provider' => 'brevo', 'contains' => "held $needle", 'hang' => true]]);
curl_close($curl);
$a = api_post(curl_init(), '/v3/smtp/email', $brevo_headers, json_encode(['subject' => "closed $needle"]));
echo 'closed on a new connection: curl error ', $no_answer($a['errno']), "\n";
$started = microtime(true);
$a = api_post(curl_init(), '/v3/smtp/email', $brevo_headers, json_encode(['subject' => "held $needle"]), 1);
printf("held: curl error %s after %s\n", $a['errno'] === CURLE_OPERATION_TIMEDOUT ? 'CURLE_OPERATION_TIMEDOUT' : $a['errno'],
    microtime(true) - $started < 5 ? 'the client timeout' : 'too long');

// --- What the log says arrived
$mine = array_values(array_filter(smtpx_test_api_log_since($mark), fn (array $e): bool => ($e['headers']['x-test-needle'] ?? '') === $needle));
echo 'log entries: ', count($mine), ', versions: ', implode(',', array_unique(array_column($mine, 'http_version'))), "\n";
$kept = array_slice($mine, 0, -4);  // before the closed and held requests
echo 'one connection for the first ', count($kept), ': ', var_export(count(array_unique(array_column($kept, 'connection'))) === 1, true),
    ', requests on it: ', implode(',', array_column($kept, 'request_on_connection')), "\n";
foreach ($mine as $e) {
    $secret = $e['headers']['authorization'] ?? $e['headers']['x-postmark-server-token'] ?? $e['headers']['api-key'] ?? '(none)';
    $secret = preg_replace('#=\*\*\*/\d{8}/#', '=***/DATE/', $secret);
    echo str_pad($e['provider'], 9), str_pad(var_export($e['status'], true), 5), str_pad($e['accepted'] ? 'accepted' : '-', 9), $secret;
    $f = $e['fields'];
    if ($e['accepted'] && $e['provider'] === 'sendgrid') {
        $attachment = $f['attachments'][0] ?? null;
        echo " | {$f['subject']} {$f['content'][0]['value']}", $attachment === null ? '' : " {$attachment['filename']} sha256 "
            . var_export($attachment['content']['sha256'] === hash('sha256', 'hello'), true);
    } elseif ($e['accepted'] && in_array($e['provider'], ['mailgun', 'ses'], true)) {
        echo " | {$f['mime']['subject']} {$f['mime']['from'][0]['address']} " . trim($f['mime']['text']) . ' sha256 '
            . var_export($f['raw_sha256'] === hash('sha256', $raw), true) . ' defects ' . count($f['mime']['defects'])
            . ($e['provider'] === 'mailgun' ? " to {$f['to'][0]} file {$f['message_filename']}" : '');
    } elseif ($e['accepted'] && $e['provider'] === 'postmark') {
        echo " | {$f['Subject']} {$f['TextBody']} {$f['Attachments'][0]['Name']} base64 " . var_export($f['Attachments'][0]['Content']['valid_base64'], true);
    } elseif ($e['accepted'] && $e['provider'] === 'brevo') {
        echo " | {$f['subject']} {$f['textContent']} {$f['headers']['X-Mailer']} {$f['attachment'][0]['name']} {$f['attachment'][0]['content']['size']} bytes";
    }
    if ($e['behaviour'] !== null) {
        echo ' | scripted ', json_encode(array_diff_key($e['behaviour'], ['contains' => 1, 'provider' => 1]));
    }
    if (isset($e['error']['canonical_request'])) {
        echo ' | canonical request logged';
    }
    echo "\n";
}
$resent = array_filter($mine, fn (array $e): bool => ($e['behaviour']['contains'] ?? '') === "resent $needle");
echo 'the request closed on a kept connection arrived ', count($resent), " times\n";
?>
--EXPECT--
sendgrid                202 '' X-Message-Id set
sendgrid wrong key      401 {"errors":[{"message":"The provided authorization grant is invalid, expired, or revoked","field":null,"help":null}]}
mailgun                 200 {"id":"<ID>","message":"Queued. Thank you."}
mailgun wrong key       401 Forbidden
PHP signer agrees with AWS get-vanilla: true
ses                     200 {"MessageId":"ID"}
ses wrong secret        403 SignatureDoesNotMatch:http://internal.amazon.com/coral/com.amazon.coral.service/ The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.
ses body changed        403 SignatureDoesNotMatch
ses unknown key         403 UnrecognizedClientException {"message":"The security token included in the request is invalid."}
postmark                200 To bob@example.com ErrorCode 0 Message OK MessageID uuid SubmittedAt date
postmark wrong token    401 {"ErrorCode":10,"Message":"The Server Token in the X-Postmark-Server-Token header is not valid."}
brevo                   201 {"messageId":"<ID>"}
brevo wrong key         401 {"code":"unauthorized","message":"Key not found"}
sendgrid bad header     400 {"errors":[{"message":"The header Reply-To is reserved and cannot be set in headers.","field":"headers","help":null}]}
mailgun without to      400 {"message":"'to' parameter is missing"}
ses without recipients  400 BadRequestException {"message":"The message has no recipients: give Destination or To/Cc/Bcc headers."}
postmark 51 recipients  422 {"ErrorCode":300,"Message":"Maximum of 50 recipients allowed (To, Cc and Bcc together)."}
brevo wrapped base64    400 {"code":"invalid_parameter","message":"attachment a.txt: content must be base64"}
scripted 429            429 Retry-After 7 {"errors":[{"message":"too many requests","field":null,"help":null}]}
the retry               202 ''
new connections after the first: 0
closed on a kept connection: curl error no answer
closed on a new connection: curl error no answer
held: curl error CURLE_OPERATION_TIMEDOUT after the client timeout
log entries: 23, versions: HTTP/1.1
one connection for the first 19: true, requests on it: 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19
sendgrid 202  accepted Bearer *** | sendgrid NEEDLE Grüße hello.txt sha256 true
sendgrid 401  -        Bearer ***
mailgun  200  accepted Basic *** | raw NEEDLE alice@example.com Grüße sha256 true defects 0 to bob@example.com file message.mime
mailgun  401  -        Basic ***
ses      200  accepted AWS4-HMAC-SHA256 Credential=***/DATE/eu-west-1/ses/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=*** | raw NEEDLE alice@example.com Grüße sha256 true defects 0
ses      403  -        AWS4-HMAC-SHA256 Credential=***/DATE/eu-west-1/ses/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=*** | canonical request logged
ses      403  -        AWS4-HMAC-SHA256 Credential=***/DATE/eu-west-1/ses/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=*** | canonical request logged
ses      403  -        AWS4-HMAC-SHA256 Credential=***/DATE/eu-west-1/ses/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=***
postmark 200  accepted *** | postmark NEEDLE Grüße hello.txt base64 true
postmark 401  -        ***
brevo    201  accepted *** | brevo NEEDLE Grüße smtpx test hello.txt 5 bytes
brevo    401  -        ***
sendgrid 400  -        Bearer ***
mailgun  400  -        Basic ***
ses      400  -        AWS4-HMAC-SHA256 Credential=***/DATE/eu-west-1/ses/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=***
postmark 422  -        ***
brevo    400  -        ***
sendgrid 429  -        Bearer *** | scripted {"status":429,"retry_after":7}
sendgrid 202  accepted Bearer *** | throttled NEEDLE x
brevo    NULL -        *** | scripted {"close_after_request":true}
brevo    NULL -        *** | scripted {"close_after_request":true}
brevo    NULL -        *** | scripted {"close_after_request":true}
brevo    NULL -        *** | scripted {"hang":true}
the request closed on a kept connection arrived 2 times
