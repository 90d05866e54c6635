<?php
/**
 * The DKIM key the site signs with, and where it comes from: wp-config.php
 * (SMTPX_DKIM_PRIVATE_KEY, PEM text or a file path; SMTPX_DKIM_SELECTOR;
 * SMTPX_DKIM_DOMAIN, default the From domain; SMTPX_DKIM_PASSPHRASE), which wins, or
 * the key generated on the settings page. A generated private key is stored sealed
 * (Secret_Box, bound to its domain and selector), in an option of its own, and never
 * shown again; its public half is stored in clear, since DNS publishes it anyway.
 *
 * @package Smtpx
 */

namespace Smtpx\WordPress;

defined( 'ABSPATH' ) || exit;

/**
 * Reads and writes the DKIM key.
 */
final class Dkim_Settings {

	public const OPTION = 'smtpx_dkim';

	/**
	 * Dkim_Key::describe() of each key read in this process, by a hash of the key: OpenSSL 3
	 * takes most of a millisecond to read a PEM key, and every wp_mail() asks.
	 *
	 * @var array<string, array<string, mixed>|null>
	 */
	private static $described = array();

	/**
	 * Whether wp-config.php sets the key (the page then only shows it).
	 */
	public static function from_constants(): bool {
		return defined( 'SMTPX_DKIM_PRIVATE_KEY' );
	}

	/**
	 * The key to sign with, or null when none is configured or it cannot be read.
	 *
	 * @return array{domain: string, selector: string, algorithm: string, private_key: string, passphrase: string, public_key: string}|null
	 */
	public static function key(): ?array {
		$configured = self::configured();
		if ( null === $configured || '' === $configured['private_key'] ) {
			return null;
		}
		$id = hash( 'sha256', $configured['private_key'] . "\0" . $configured['passphrase'] );
		if ( ! array_key_exists( $id, self::$described ) ) {
			self::$described[ $id ] = Dkim_Key::describe( $configured['private_key'], $configured['passphrase'] );
		}
		$described = self::$described[ $id ];
		// Verifiers ignore RSA keys under 1024 bits (RFC 8301 3.2), and the extension refuses them.
		if ( null === $described || ( Dkim_Key::RSA === $described['algorithm'] && $described['bits'] < 1024 ) ) {
			return null;
		}
		return array_merge( $configured, $described );
	}

	/**
	 * Why the configured key cannot sign, or "" (also when none is configured).
	 */
	public static function problem(): string {
		$configured = self::configured();
		if ( null === $configured || null !== self::key() ) {
			return '';
		}
		if ( '' === $configured['private_key'] ) {
			return self::from_constants()
				? __( 'The DKIM key in SMTPX_DKIM_PRIVATE_KEY is neither PEM text nor a readable file, so mail is not signed.', 'smtpx' )
				: __( 'The saved DKIM key cannot be read any more (the salts in wp-config.php changed), so mail is not signed: generate a new key and publish its record.', 'smtpx' );
		}
		return __( 'The DKIM key cannot be used (encrypted without SMTPX_DKIM_PASSPHRASE, not an RSA or Ed25519 key, or RSA under 1024 bits), so mail is not signed.', 'smtpx' );
	}

	/**
	 * What is configured, the private key opened (or "" when it cannot be: the salts
	 * changed, or the file is unreadable), null when nothing is.
	 *
	 * @return array{domain: string, selector: string, private_key: string, passphrase: string}|null
	 */
	public static function configured(): ?array {
		if ( self::from_constants() ) {
			$key = (string) SMTPX_DKIM_PRIVATE_KEY;
			if ( ! str_contains( $key, '-----BEGIN' ) ) {
				$key = is_readable( $key ) ? (string) file_get_contents( $key ) : '';
			}
			return array(
				'domain'      => strtolower( defined( 'SMTPX_DKIM_DOMAIN' ) ? (string) SMTPX_DKIM_DOMAIN : Domain_Check::from_domain() ),
				'selector'    => defined( 'SMTPX_DKIM_SELECTOR' ) ? (string) SMTPX_DKIM_SELECTOR : 'smtpx',
				'private_key' => $key,
				'passphrase'  => defined( 'SMTPX_DKIM_PASSPHRASE' ) ? (string) SMTPX_DKIM_PASSPHRASE : '',
			);
		}
		$stored = get_option( self::OPTION, array() );
		if ( ! is_array( $stored ) || empty( $stored['private_key'] ) ) {
			return null;
		}
		$domain   = (string) ( $stored['domain'] ?? '' );
		$selector = (string) ( $stored['selector'] ?? '' );
		return array(
			'domain'      => $domain,
			'selector'    => $selector,
			'private_key' => (string) Secret_Box::open( (string) $stored['private_key'], self::binding( $domain, $selector ) ),
			'passphrase'  => '',
		);
	}

	/**
	 * Stores a generated key, sealed.
	 *
	 * @param string $domain   The signing domain.
	 * @param string $selector The selector.
	 * @param string $pem      The private key.
	 */
	public static function store( string $domain, string $selector, string $pem ): void {
		update_option(
			self::OPTION,
			array(
				'domain'      => $domain,
				'selector'    => $selector,
				'private_key' => Secret_Box::seal( $pem, self::binding( $domain, $selector ) ),
				'created'     => time(),
			),
			false
		);
	}

	/**
	 * Removes the generated key: mail is no longer signed.
	 */
	public static function forget(): void {
		delete_option( self::OPTION );
	}

	/**
	 * A valid selector (RFC 6376 3.1: labels of letters, digits and hyphens).
	 *
	 * @param string $selector As typed.
	 */
	public static function is_selector( string $selector ): bool {
		return (bool) preg_match( '/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i', $selector );
	}

	/**
	 * A valid signing domain (ASCII; punycode for IDNs), with a dot.
	 *
	 * @param string $domain As typed.
	 */
	public static function is_domain( string $domain ): bool {
		return str_contains( $domain, '.' ) && strlen( $domain ) <= 253 && self::is_selector( $domain );
	}

	/**
	 * What a sealed key is bound to: the domain and selector it signs for.
	 *
	 * @param string $domain   The signing domain.
	 * @param string $selector The selector.
	 */
	private static function binding( string $domain, string $selector ): string {
		return "dkim\n$domain\n$selector";
	}
}
