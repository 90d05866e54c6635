--TEST--
OAuth2: a refresh token the provider rotated during a send that then failed is handed back on the exception (getOauthRefreshToken()), as the result hands it back after a success; the new token works, and no token appears in the message
--SKIPIF--
<?php require __DIR__ . '/../inc/harness.inc'; smtpx_test_skip_unless_oauth(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';

function refused_send(array $transport): Smtpx\Exception
{
    try {
        smtpx_send(['from' => 'user@example.com', 'to' => 'reject-me@example.net', 'subject' => 'x', 'text' => 'x'],
                   $transport);
    } catch (Smtpx\Exception $e) {
        return $e;
    }
    throw new LogicException('the peer accepted a "reject" recipient');
}

$microsoft = smtpx_test_oauth_transport('microsoft', ['persistent' => false]);
$old = $microsoft['oauth']['refresh_token'];
$e = refused_send($microsoft);
$new = $e->getOauthRefreshToken();
echo get_class($e), ': rotated=', var_export(is_string($new) && $new !== $old, true), "\n";
echo 'no token in the message: ', var_export(!str_contains($e->getMessage(), $old) && !str_contains($e->getMessage(), (string) $new), true), "\n";

$microsoft['oauth']['refresh_token'] = $new;
$needle = 'rotated-' . bin2hex(random_bytes(6));
$result = smtpx_send(['from' => 'user@example.com', 'to' => 'ann@example.net', 'subject' => $needle, 'text' => 'x'],
                     $microsoft);
echo 'with the new token: delivered=', var_export(str_contains(smtpx_test_oauth_delivered($needle), $needle), true), "\n";

$google = smtpx_test_oauth_transport('google', ['persistent' => false]);
echo 'google (no rotation): ', var_export(refused_send($google)->getOauthRefreshToken(), true), "\n";
$plain = refused_send(smtpx_test_transport('plain'));
echo 'no OAuth: ', var_export($plain->getOauthRefreshToken(), true), "\n";
?>
--EXPECT--
Smtpx\RejectedException: rotated=true
no token in the message: true
with the new token: delivered=true
google (no rotation): NULL
no OAuth: NULL
