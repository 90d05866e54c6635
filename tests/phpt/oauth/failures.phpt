--TEST--
OAuth2 failures: a revoked refresh token is a permanent AuthException saying to reconnect; a token endpoint that answers 503 is transient; bad settings are a ValueError naming the field; no client secret or token in errors or transcripts
--SKIPIF--
<?php require __DIR__ . '/../inc/harness.inc'; smtpx_test_skip_unless_oauth(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$message = ['from' => 'user@example.com', 'to' => 'ann@example.net', 'subject' => 'oauth', 'text' => 'x'];

function attempt(array $message, array $transport, string $label): void
{
    try {
        smtpx_send($message, $transport);
        echo "$label: delivered\n";
    } catch (Smtpx\Exception $e) {
        $seen = $e->getMessage() . $e->getTranscript();
        printf("%s: %s phase=%s transient=%s\n  %s\n  secrets shown: %s\n", $label, get_class($e), $e->getPhase(),
               var_export($e->isTransient(), true), $e->getHint(),
               var_export(str_contains($seen, 'smtpx-test-secret') || str_contains($seen, $transport['oauth']['refresh_token']), true));
    } catch (ValueError $e) {
        echo "$label: ", $e->getMessage(), "\n";
    }
}

$revoked = smtpx_test_oauth_transport('google', ['persistent' => false, 'debug' => true]);
smtpx_test_oauth_revoke($revoked['oauth']['refresh_token']);
attempt($message, $revoked, 'revoked');

$busy = smtpx_test_oauth_transport('microsoft', ['persistent' => false]);
smtpx_test_oauth_script([['refresh_token' => $busy['oauth']['refresh_token'], 'status' => 503]]);
attempt($message, $busy, 'endpoint down');

$wrong = smtpx_test_oauth_transport('google', ['persistent' => false, 'oauth' => ['client_secret' => 'wrong']]);
attempt($message, $wrong, 'wrong client secret');

$plain = smtpx_test_oauth_transport('google');
$plain['oauth']['token_url'] = 'http://127.0.0.1:10444/token';
attempt($message, $plain, 'http token url');
$none = smtpx_test_oauth_transport('google');
unset($none['oauth']['refresh_token']);
$none['oauth']['refresh_token'] = '';
attempt($message, $none, 'no refresh token');
$other = smtpx_test_oauth_transport('google');
$other['oauth']['provider'] = 'yahoo';
attempt($message, $other, 'unknown provider');
?>
--EXPECTF--
revoked: Smtpx\AuthException phase=auth transient=false
  The authorization was revoked or has expired: connect the account again.
  secrets shown: false
endpoint down: Smtpx\AuthException phase=auth transient=true
  The token endpoint is failing: try again later.
  secrets shown: false
wrong client secret: Smtpx\AuthException phase=auth transient=false
  Check the client id and client secret of the app registration.
  secrets shown: false
http token url: smtpx_send(): Argument #2 ($transport) transport.oauth.token_url: must be an https:// URL: the client secret never travels in clear text
no refresh token: smtpx_send(): Argument #2 ($transport) transport.oauth.refresh_token: is required: connect the account once (the WordPress plugin's "Connect" does it)
unknown provider: smtpx_send(): Argument #2 ($transport) transport.oauth.provider: must be google, microsoft or generic
