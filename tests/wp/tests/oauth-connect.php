<?php
/**
 * The Connect flow's guards, against oidc-provider (tests/peers/oidc-start; the site's
 * wp-config.php points every provider at it): the authorization request carries the
 * client, the exact redirect URI, the scopes, a state and an S256 PKCE challenge, and the
 * authorization server accepts it; the answer of another user's state, a state used
 * twice or older than ten minutes, or a provider's refusal changes nothing; the code
 * exchange sends the verifier of the challenge and the client's credentials; the host's
 * SMTPX_OAUTH_CLIENT_ID and SMTPX_OAUTH_CLIENT_SECRET are used, shown as set by the host
 * and never stored; Disconnect revokes the grant at the provider and forgets it.
 * (The whole flow, signing in and consenting, is the browser-oauth test.)
 */

namespace SmtpxTest;

use Smtpx\WordPress\Oauth_Connect;
use Smtpx\WordPress\Oauth_Grant;

define( 'SMTPX_OAUTH_CLIENT_ID', 'smtpx-wp' );
define( 'SMTPX_OAUTH_CLIENT_SECRET', 'smtpx-wp-secret' );
require __DIR__ . '/../lib/bootstrap.php';
require __DIR__ . '/../lib/oauth-peers.php';

delete_option( Oauth_Grant::OPTION );
wp_set_current_user( 1 );
use_connection(
	array(
		'preset'   => 'other',
		'host'     => '127.0.0.1',
		'ports'    => '10592',
		'auth'     => 'oauth',
		'username' => 'alice@example.test',
	)
);
// Every request the plugin makes to the authorization server, as WordPress sent it.
$sent = array();
add_action(
	'http_api_debug',
	static function ( $response, $context, $class, $args, $url ) use ( &$sent ) {
		$sent[] = array(
			'url'  => $url,
			'body' => $args['body'],
		);
	},
	10,
	5
);
/** The query of a URL as an array. */
$query_of = static function ( string $url ): array {
	wp_parse_str( (string) wp_parse_url( $url, PHP_URL_QUERY ), $query );
	return $query;
};

$url    = Oauth_Connect::authorization_url( 'google' );
$params = $query_of( $url );
ok( str_starts_with( $url, OIDC_ISSUER . '/auth?' ), 'Connect with Google goes to the authorization endpoint SMTPX_OAUTH_AUTHORIZE_URL names', $url );
is(
	array_intersect_key( $params, array_flip( array( 'response_type', 'client_id', 'redirect_uri', 'code_challenge_method', 'access_type', 'prompt' ) ) ),
	array(
		'response_type'         => 'code',
		'client_id'             => 'smtpx-wp',
		'redirect_uri'          => 'http://127.0.0.1:' . getenv( 'SMTPX_WP_PORT' ) . '/wp-admin/options-general.php?page=smtpx&smtpx_oauth=callback',
		'code_challenge_method' => 'S256',
		'access_type'           => 'offline',
		'prompt'                => 'consent',
	),
	'the request: the code flow, the host\'s client id, the settings page as redirect URI, S256, offline access with consent'
);
ok( str_contains( $params['scope'], 'https://mail.google.com/' ) && 43 === strlen( $params['state'] ) && 43 === strlen( $params['code_challenge'] ), 'Google\'s scope https://mail.google.com/, a 256-bit state and an S256 challenge', wp_json_encode( $params ) );
ok( str_contains( $query_of( Oauth_Connect::authorization_url( 'microsoft' ) )['scope'], 'https://outlook.office.com/SMTP.Send offline_access' ), 'Microsoft\'s scope asks for SMTP.Send offline_access' );
$answer = wp_remote_get(
	$url,
	array(
		'redirection'     => 0,
		'sslcertificates' => peers_dir() . '/ca.pem',
	)
);
$to     = (string) wp_remote_retrieve_header( $answer, 'location' );
ok( in_array( wp_remote_retrieve_response_code( $answer ), array( 302, 303 ), true ) && str_contains( $to, '/interaction/' ), 'oidc-provider accepts the request and shows its sign-in', is_wp_error( $answer ) ? $answer->get_error_message() : wp_remote_retrieve_body( $answer ) );
$sent = array(); // The plugin's own requests from here on.

// Another admin's state: refused, and used up.
$other = wp_insert_user(
	array(
		'user_login' => 'other-admin-' . wp_generate_password( 6, false ),
		'user_pass'  => wp_generate_password(),
		'role'       => 'administrator',
	)
);
wp_set_current_user( $other );
$outcome = Oauth_Connect::finish(
	array(
		'state' => $params['state'],
		'code'  => 'any',
	)
);
ok( ! $outcome['ok'] && str_contains( $outcome['message'], 'another user' ), 'another admin\'s state is refused', $outcome['message'] );
wp_set_current_user( 1 );
require_once ABSPATH . 'wp-admin/includes/user.php';
wp_delete_user( $other );
$outcome = Oauth_Connect::finish(
	array(
		'state' => $params['state'],
		'code'  => 'any',
	)
);
ok( ! $outcome['ok'] && array() === $sent, 'the state is used up: its own admin is refused too, and no code was sent anywhere', wp_json_encode( $sent ) );

// A state of this admin: the code goes to the token endpoint with the PKCE verifier.
$params  = $query_of( Oauth_Connect::authorization_url( 'google' ) );
$outcome = Oauth_Connect::finish(
	array(
		'state' => $params['state'],
		'code'  => 'not-a-code-oidc-provider-issued',
	)
);
$request = $sent[0] ?? array( 'url' => '', 'body' => array() );
ok( ! $outcome['ok'] && str_contains( $outcome['message'], 'invalid_grant' ), 'a code the server did not issue: refused with the server\'s reason', $outcome['message'] );
is( array( $request['url'], $request['body']['grant_type'] ?? null, $request['body']['client_id'] ?? null, $request['body']['client_secret'] ?? null, $request['body']['redirect_uri'] ?? null ), array( OIDC_ISSUER . '/token', 'authorization_code', 'smtpx-wp', 'smtpx-wp-secret', $params['redirect_uri'] ), 'the exchange: POST to the token endpoint with the client\'s credentials and the same redirect URI' );
is( Oauth_Connect::challenge( (string) ( $request['body']['code_verifier'] ?? '' ) ), $params['code_challenge'], 'the PKCE verifier sent is the one whose S256 is the challenge' );
$outcome = Oauth_Connect::finish(
	array(
		'state' => $params['state'],
		'code'  => 'again',
	)
);
ok( ! $outcome['ok'] && str_contains( $outcome['message'], 'already used' ) && 1 === count( $sent ), 'the same state a second time is refused before any request' );

// Expired, and the provider's refusal.
$params = $query_of( Oauth_Connect::authorization_url( 'google' ) );
$key    = 'smtpx_oauth_state_' . substr( hash( 'sha256', $params['state'] ), 0, 32 );
$state  = get_transient( $key );
set_transient( $key, array_merge( $state, array( 'expires' => time() - 1 ) ), 60 );
ok( ! Oauth_Connect::finish( array( 'state' => $params['state'] ) )['ok'] && 1 === count( $sent ), 'a state older than ten minutes is refused' );
$params  = $query_of( Oauth_Connect::authorization_url( 'google' ) );
$outcome = Oauth_Connect::finish(
	array(
		'state'             => $params['state'],
		'error'             => 'access_denied',
		'error_description' => 'The user said no',
	)
);
ok( ! $outcome['ok'] && str_contains( $outcome['message'], 'access_denied' ) && ! Oauth_Grant::connected(), 'the provider\'s refusal is shown, nothing is connected', $outcome['message'] );

// The host's client: used, not stored, shown as the host's.
Oauth_Grant::save_client( 'typed-id', 'typed-secret', '' );
$stored = get_option( Oauth_Grant::OPTION );
is( array( Oauth_Grant::client_id(), Oauth_Grant::client_secret(), $stored['client_id'] ?? null, $stored['client_secret'] ?? null ), array( 'smtpx-wp', 'smtpx-wp-secret', '', '' ), 'SMTPX_OAUTH_CLIENT_ID and _SECRET win and what was typed is not stored' );
ob_start();
\Smtpx\WordPress\Oauth_Section::render();
$html = (string) ob_get_clean();
ok( 2 === substr_count( $html, 'Set by the host (SMTPX_OAUTH_CLIENT_' ) && ! str_contains( $html, 'smtpx-wp-secret' ) && preg_match( '/id="smtpx_oauth_client_id"[^>]*disabled/', $html ), 'the page shows both fields as set by the host, locked, without the secret' );
ok( str_contains( $html, 'value="' . esc_attr( \Smtpx\WordPress\Oauth_Providers::redirect_uri() ) . '"' ) && str_contains( $html, 'Connect with Google' ) && str_contains( $html, 'Connect with Microsoft' ) && str_contains( $html, '7 days' ), 'the page shows the redirect URI to copy, both Connect buttons and how to create the app' );

// Disconnect: revoked at the provider (RFC 7009), forgotten here.
Oauth_Grant::connect( 'google', 'rt-made-up-for-disconnect', 'alice@example.test' );
ok( Oauth_Grant::connected(), 'a grant is connected' );
$sent = array();
is( Oauth_Connect::disconnect(), '', 'Disconnect: the provider confirms the revocation' );
is( array( $sent[0]['url'] ?? null, $sent[0]['body']['token'] ?? null, $sent[0]['body']['token_type_hint'] ?? null ), array( OIDC_ISSUER . '/token/revocation', 'rt-made-up-for-disconnect', 'refresh_token' ), 'the refresh token was sent to the revocation endpoint' );
ok( ! Oauth_Grant::connected() && 0 === options_holding( 'rt-made-up' ), 'and is forgotten' );
delete_option( Oauth_Grant::OPTION );
