<?php
/**
 * The HTTPS API tests' provider, after bootstrap.php: the harness's API peer
 * (tests/peers/api_server.py on 10443: SendGrid's, Mailgun's, SES's, Postmark's and
 * Brevo's send endpoints, scripted faults; its docstring is the contract), which the
 * test points the plugin at with SMTPX_API_ENDPOINT.
 */

namespace SmtpxTest;

const API_PEER = 'https://127.0.0.1:10443';

/** A JSON request to the API peer's control or log endpoint (verified against the harness CA). */
function api_peer( string $path, ?array $body = null ): array {
	$context = stream_context_create(
		array(
			'ssl'  => array( 'cafile' => peers_dir() . '/ca.pem' ),
			'http' => null === $body ? array() : array(
				'method'  => 'POST',
				'header'  => 'Content-Type: application/json',
				'content' => wp_json_encode( $body ),
			),
		)
	);
	$answer = json_decode( (string) file_get_contents( API_PEER . $path, false, $context ), true );
	return is_array( $answer ) ? $answer : array();
}

/** The API peer's log entries whose request carried $needle, or whose scripted answer was for it. */
function api_requests_with( string $needle ): array {
	return array_values(
		array_filter(
			(array) ( api_peer( '/_log?since=0' )['entries'] ?? array() ),
			static function ( $entry ) use ( $needle ) {
				return str_contains( (string) wp_json_encode( array( $entry['fields'] ?? null, $entry['behaviour'] ?? null ), JSON_UNESCAPED_UNICODE ), $needle );
			}
		)
	);
}

/**
 * The primary's SMTP side made unreachable, its fallback kept (the smtpx_transport filter):
 * a loopback port just freed, refused at once, and another each run (the extension
 * remembers a fallback's win per host and ports, in a file the next run would read).
 */
function smtp_blocked( $transport ) {
	static $port = null;
	if ( null === $port ) {
		$port = free_port();
	}
	return is_array( $transport ) && isset( $transport['host'] ) ? array_merge( $transport, array( 'host' => '127.0.0.1', 'ports' => array( $port ) ) ) : $transport;
}
