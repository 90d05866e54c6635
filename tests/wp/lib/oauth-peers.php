<?php
/**
 * The OAuth tests' authorization servers, after bootstrap.php: the harness's OAuth peer
 * (tests/peers/oauth_server.py: Google's and Microsoft's refresh_token grant on 10444,
 * submission with XOAUTH2 on 10589; its docstring is the contract) and oidc-provider
 * (tests/peers/oidc-start: the code flow on 10445).
 */

namespace SmtpxTest;

const OAUTH_PEER  = 'https://127.0.0.1:10444';
const OAUTH_SMTP  = 10589;
const OIDC_ISSUER = 'https://127.0.0.1:10445';

/** A JSON request to the OAuth peer's control or log endpoint. */
function oauth_peer( string $method, string $path, ?array $body = null ): array {
	$response = wp_remote_request(
		OAUTH_PEER . $path,
		array(
			'method'          => $method,
			'body'            => null === $body ? null : wp_json_encode( $body ),
			'headers'         => array( 'Content-Type' => 'application/json' ),
			'sslcertificates' => peers_dir() . '/ca.pem',
			'timeout'         => 10,
		)
	);
	if ( is_wp_error( $response ) || 200 !== wp_remote_retrieve_response_code( $response ) ) {
		throw new \RuntimeException( "the OAuth peer refused $method $path: " . ( is_wp_error( $response ) ? $response->get_error_message() : wp_remote_retrieve_body( $response ) ) );
	}
	return json_decode( wp_remote_retrieve_body( $response ), true );
}

/** A grant of this test's own at the OAuth peer: its refresh token. */
function oauth_peer_grant( string $provider ): string {
	return oauth_peer( 'POST', '/_control', array( 'grant' => $provider ) )['refresh_token'];
}

/** The number of lines in the peer's log, to read what comes after. */
function oauth_peer_mark(): int {
	return (int) oauth_peer( 'GET', '/_log?since=999999999' )['count'];
}

/**
 * The peer's log entries since $mark for the grant of $refresh_token (token requests and
 * AUTH attempts), of one kind when given.
 */
function oauth_peer_log( int $mark, string $refresh_token, string $kind = '' ): array {
	$grant = substr( hash( 'sha256', $refresh_token ), 0, 16 );
	return array_values(
		array_filter(
			oauth_peer( 'GET', "/_log?since=$mark" )['entries'],
			static function ( $entry ) use ( $grant, $kind ) {
				return ( $entry['grant'] ?? null ) === $grant && ( '' === $kind || $entry['kind'] === $kind );
			}
		)
	);
}

/** The message the peer's submission port accepted whose text holds $needle, "" when none within 10 s. */
function oauth_peer_delivered( string $needle ): string {
	$deadline = microtime( true ) + 10;
	do {
		foreach ( glob( peers_dir() . '/oauth-mail/*.eml' ) ?: array() as $file ) {
			$raw = (string) file_get_contents( $file );
			if ( str_contains( $raw, $needle ) ) {
				return $raw;
			}
		}
		usleep( 200000 );
	} while ( microtime( true ) < $deadline );
	return '';
}

/**
 * Points the plugin's providers at the OAuth peer's token endpoints (as a host would with
 * the smtpx_oauth_provider filter), with the client the peer accepts, and the primary
 * connection at its submission port with Authentication OAuth 2.
 */
function use_oauth_peer(): void {
	add_filter(
		'smtpx_oauth_provider',
		static function ( $provider, $id ) {
			$paths                  = array(
				'google'    => '/token',
				'microsoft' => '/test-tenant/oauth2/v2.0/token',
			);
			$provider['token_url']  = OAUTH_PEER . ( $paths[ $id ] ?? '/token' );
			$provider['tenant']     = 'microsoft' === $id ? 'test-tenant' : '';
			$provider['revoke_url'] = '';
			$provider['overridden'] = true;
			return $provider;
		},
		10,
		2
	);
	use_connection(
		array(
			'preset'   => 'other',
			'host'     => '127.0.0.1',
			'ports'    => (string) OAUTH_SMTP,
			'auth'     => 'oauth',
			'username' => 'user@example.com',
		)
	);
}

/** How many option rows of this site hold $text in plain text. */
function options_holding( string $text ): int {
	global $wpdb;
	return (int) $wpdb->get_var( $wpdb->prepare( "SELECT COUNT(*) FROM {$wpdb->options} WHERE option_value LIKE %s", '%' . $wpdb->esc_like( $text ) . '%' ) );
}
