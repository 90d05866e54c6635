--TEST--
API answers become the same typed exceptions as SMTP: 401 AuthException with the provider's hint, 400 and 413 RejectedException, 429 transient with Retry-After, 500 transient, a request with no answer outcome-unknown and never sent twice
--SKIPIF--
<?php require __DIR__ . '/../inc/harness.inc'; smtpx_test_skip_unless_api(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';

function attempt(string $provider, array $behaviour, array $extra = []): void
{
    $needle = 'err-' . bin2hex(random_bytes(6));
    // SES carries the message base64-encoded: the needle is not in its body's text.
    smtpx_test_api_script([$behaviour + ['provider' => $provider] + ($provider === 'ses' ? [] : ['contains' => $needle])]);
    $mark = smtpx_test_api_log_mark();
    try {
        smtpx_send(['from' => 'site@example.com', 'to' => 'ann@example.net', 'subject' => $needle, 'text' => 'x'],
                   smtpx_test_api_transport($provider, $extra));
        echo "$provider: delivered\n";
    } catch (Smtpx\Exception $e) {
        printf("%s %s: %s phase=%s http=%d transient=%s unknown=%s retry_after=%s\n  %s\n  hint: %s\n",
               $provider, json_encode($behaviour), get_class($e), $e->getPhase(), $e->getHttpStatus(),
               var_export($e->isTransient(), true), var_export($e->isOutcomeUnknown(), true),
               var_export($e->getRetryAfter(), true), $e->getMessage(), $e->getHint());
    }
    $arrived = array_filter(smtpx_test_api_log_since($mark), fn ($e) => $e['provider'] === $provider
        && ($provider === 'ses' || str_contains(json_encode($e), $needle)));
    echo '  requests that arrived: ', count($arrived), "\n";
}

attempt('sendgrid', ['status' => 401]);
attempt('postmark', ['status' => 422]);
attempt('sendgrid', ['status' => 413]);
attempt('brevo', ['status' => 429, 'retry_after' => 7]);
attempt('mailgun', ['status' => 500]);
attempt('ses', ['close_after_request' => true]);
attempt('postmark', ['hang' => true], ['timeout' => 1.5]);
?>
--EXPECTF--
sendgrid {"status":401}: Smtpx\AuthException phase=auth http=401 transient=false unknown=false retry_after=NULL
  sendgrid answered HTTP 401: %s. SendGrid wants an API key with the Mail Send permission as api_key.
  hint: SendGrid wants an API key with the Mail Send permission as api_key.
  requests that arrived: 1
postmark {"status":422}: Smtpx\RejectedException phase=data http=422 transient=false unknown=false retry_after=NULL
  postmark answered HTTP 422: %s
  hint: 
  requests that arrived: 1
sendgrid {"status":413}: Smtpx\RejectedException phase=data http=413 transient=false unknown=false retry_after=NULL
  sendgrid answered HTTP 413. The message is too large for this API: send smaller attachments.
  hint: The message is too large for this API: send smaller attachments.
  requests that arrived: 1
brevo {"status":429,"retry_after":7}: Smtpx\RejectedException phase=data http=429 transient=true unknown=false retry_after=7.0
  brevo answered HTTP 429: %s. The provider is limiting this account's sending rate: try again later.
  hint: The provider is limiting this account's sending rate: try again later.
  requests that arrived: 1
mailgun {"status":500}: Smtpx\RejectedException phase=data http=500 transient=true unknown=false retry_after=NULL
  mailgun answered HTTP 500%A. The provider's API is failing: try again later.
  hint: The provider's API is failing: try again later.
  requests that arrived: 1
ses {"close_after_request":true}: Smtpx\ConnectException phase=data http=0 transient=false unknown=true retry_after=NULL
  127.0.0.1:10443 closed the connection after the whole request, without an answer%s
  hint: The whole message was sent but no final reply arrived: the server may have accepted it, so it was not retried; check the recipient's mailbox or the server's log before sending again.
  requests that arrived: 1
postmark {"hang":true}: Smtpx\TimeoutException phase=data http=0 transient=false unknown=true retry_after=NULL
  no complete answer from 127.0.0.1:10443 in time %s
  hint: The whole message was sent but no final reply arrived: the server may have accepted it, so it was not retried; check the recipient's mailbox or the server's log before sending again.
  requests that arrived: 1
