<?php
/**
 * Plain-language advice for a failed submission: what the server's reply means for
 * a site owner and what to do next. The extension reports the facts (phase, reply
 * code, enhanced status, text); this maps the replies providers are known to give.
 *
 * @package Smtpx
 */

namespace Smtpx\WordPress;

defined( 'ABSPATH' ) || exit;

/**
 * Maps a failure to a hint.
 */
final class Hints {

	/**
	 * The hint for a failure, or "" when there is nothing better to say than the reply.
	 *
	 * @param array<string, mixed> $failure Keys phase, smtp_code, enhanced_status, message, host.
	 */
	public static function for_failure( array $failure ): string {
		$code     = (int) ( $failure['smtp_code'] ?? 0 );
		$enhanced = (string) ( $failure['enhanced_status'] ?? '' );
		$text     = (string) ( $failure['message'] ?? '' );
		$phase    = (string) ( $failure['phase'] ?? '' );
		$provider = Presets::id_for_host( (string) ( $failure['host'] ?? '' ) );

		if ( 451 === $code && false !== stripos( $text, 'Maximum credits exceeded' ) ) {
			return __( 'The SendGrid account has used up its credits. Retrying will not help: upgrade the plan or wait for the credits to renew.', 'smtpx' );
		}
		if ( false !== stripos( $text, 'Could not authenticate' ) ) {
			return __( 'SendGrid could not authenticate the account. This is an account problem, not a passing one: check that the API key exists, has the "Mail Send" permission, and that the account is active.', 'smtpx' );
		}
		if ( '5.7.30' === $enhanced || false !== stripos( $text, 'basic authentication is disabled' ) ) {
			return __( 'The server no longer accepts passwords (Microsoft 365 turned basic authentication off). Use an OAuth 2 access token instead.', 'smtpx' );
		}
		if ( 535 === $code || '5.7.8' === $enhanced || ( 'auth' === $phase && $code >= 500 ) ) {
			return self::bad_credentials( $provider );
		}
		if ( in_array( $code, array( 550, 553, 554 ), true ) && preg_match( '/not verified|verify|identity|sender address rejected|not allowed to send|403/i', $text ) ) {
			return __( 'The provider does not accept this From address: verify the address or its domain with the provider, or set a verified address under "Force From".', 'smtpx' );
		}
		if ( 'mail' === $phase && $code >= 500 ) {
			return __( 'The server refused the sender address. Set a From address on a domain you own (and have verified with the provider) under "From address".', 'smtpx' );
		}
		if ( in_array( $code, array( 421, 454 ), true ) || '4.7.0' === $enhanced ) {
			return __( 'The server is limiting how much this site sends (throttling). The mail can be sent again later; if it keeps happening, lower the sending rate or raise the plan\'s limits.', 'smtpx' );
		}
		if ( 'connect' === $phase || 'greeting' === $phase ) {
			return __( 'No SMTP port of the server could be reached. Many hosts block outgoing mail ports (Google Cloud blocks 25; Linode/Akamai 25, 465 and 587 on new accounts; Hetzner 25 and 465; Azure 25): try port 2525 if the provider offers it, or ask the host to open a port.', 'smtpx' );
		}
		if ( 'tls' === $phase ) {
			return __( 'The secure connection failed: the server\'s certificate could not be verified for this host name, or TLS is not offered. Check the host name; do not turn TLS off for a server on the internet.', 'smtpx' );
		}
		return '';
	}

	/**
	 * What a rejected login means for this provider.
	 *
	 * @param string $provider A preset id.
	 */
	private static function bad_credentials( string $provider ): string {
		switch ( $provider ) {
			case 'google':
			case 'google_relay':
				return __( 'Google rejected the user name or password. Google requires an app password (Account > Security > App passwords, with 2-step verification on), not the account password, or an OAuth access token.', 'smtpx' );
			case 'sendgrid':
				return __( 'SendGrid rejected the login. The user name must be the literal word "apikey" and the password an API key with the "Mail Send" permission.', 'smtpx' );
			case 'brevo':
				return __( 'Brevo rejected the login. Use the SMTP login and an SMTP key from "SMTP & API", not the API key.', 'smtpx' );
			case 'ses':
				return __( 'Amazon SES rejected the login. Use the SMTP credentials created for SES in this region (they differ from IAM access keys).', 'smtpx' );
			default:
				return __( 'The server rejected the user name or password. Check both; some providers want a key or app password rather than the account password.', 'smtpx' );
		}
	}
}
