<?php
/**
 * Whether the DKIM key's public half is published at selector._domainkey.domain,
 * asked of the DNS by the plugin itself (Dns_Lookup) where smtpx_domain_check() cannot
 * be given the key: without the extension, or for a connection set by a DSN. The
 * answer has the shape of the extension's findings (check, severity, message, record),
 * so the settings page and Site Health show both alike.
 *
 * @package Smtpx
 */

namespace Smtpx\WordPress;

defined( 'ABSPATH' ) || exit;

/**
 * The DKIM record check.
 */
final class Dkim_Record {

	/**
	 * The finding for a key (Dkim_Settings::key()).
	 *
	 * @param array<string, mixed> $key domain, selector, algorithm, public_key.
	 * @return array{check: string, severity: string, message: string, record: string|null}
	 */
	public static function finding( array $key ): array {
		$name    = Dkim_Key::record_name( $key['selector'], $key['domain'] );
		$publish = self::record( $key );
		$records = Dns_Lookup::txt( $name );
		if ( null === $records ) {
			/* translators: %s: DNS name such as smtpx._domainkey.example.com. */
			return self::make( 'warning', sprintf( __( 'The DNS did not answer for %s: try again.', 'smtpx' ), $name ), null );
		}
		$published = null;
		foreach ( $records as $record ) {
			if ( preg_match( '/(?:^|;)\s*p=([^;]*)/i', $record, $match ) ) {
				$published = preg_replace( '/\s+/', '', $match[1] );
				break;
			}
		}
		if ( null === $published ) {
			/* translators: %s: DNS name such as smtpx._domainkey.example.com. */
			return self::make( 'error', sprintf( __( 'No DKIM key is published at %s, so the signatures cannot be checked.', 'smtpx' ), $name ), $publish );
		}
		if ( $published !== $key['public_key'] ) {
			/* translators: %s: DNS name such as smtpx._domainkey.example.com. */
			return self::make( 'error', sprintf( __( 'The key published at %s is not the one smtpx signs with: publish this one (or set the matching key).', 'smtpx' ), $name ), $publish );
		}
		/* translators: %s: DNS name such as smtpx._domainkey.example.com. */
		return self::make( 'ok', sprintf( __( 'The DKIM key at %s matches the signing key.', 'smtpx' ), $name ), null );
	}

	/**
	 * The record to publish, as the extension writes it: name TXT "value".
	 *
	 * @param array<string, mixed> $key domain, selector, algorithm, public_key.
	 */
	public static function record( array $key ): string {
		return Dkim_Key::record_name( $key['selector'], $key['domain'] ) . ' TXT ' . Dkim_Key::quoted_strings( Dkim_Key::record_value( $key['algorithm'], $key['public_key'] ) );
	}

	/**
	 * A finding.
	 *
	 * @param string      $severity ok, info, warning or error.
	 * @param string      $message  The sentence.
	 * @param string|null $record   The record to publish.
	 * @return array{check: string, severity: string, message: string, record: string|null}
	 */
	private static function make( string $severity, string $message, ?string $record ): array {
		return array(
			'check'    => 'dkim',
			'severity' => $severity,
			'message'  => $message,
			'record'   => $record,
		);
	}
}
