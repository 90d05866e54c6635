<?php
/**
 * What the site stores of its OAuth grant, for the browser-oauth test, as JSON:
 *   php oauth-grant-state.php
 * {"connected", "account", "provider", "sealed" (the stored refresh token is Secret_Box's,
 * not the token), "in_options" (option rows holding the plain token), "fingerprint" (the
 * first 16 hex digits of its SHA-256, as oidc-provider's log shows tokens)}.
 */

namespace SmtpxTest;

use Smtpx\WordPress\Oauth_Grant;

require __DIR__ . '/bootstrap.php';
require __DIR__ . '/oauth-peers.php';

$stored = Oauth_Grant::stored()['grant'];
$token  = (string) Oauth_Grant::refresh_token();
echo wp_json_encode(
	array(
		'connected'   => Oauth_Grant::connected(),
		'account'     => $stored['account'],
		'provider'    => $stored['provider'],
		'sealed'      => str_starts_with( $stored['refresh_token'], 'smtpx2:' ) && '' !== $token && ! str_contains( $stored['refresh_token'], $token ),
		'in_options'  => '' === $token ? 0 : options_holding( $token ),
		'fingerprint' => '' === $token ? null : substr( hash( 'sha256', $token ), 0, 16 ),
	)
), "\n";
