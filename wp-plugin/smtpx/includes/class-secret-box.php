<?php
/**
 * Encrypts the secrets saved from the settings page, so a database dump or backup
 * does not hand out the mail account. The key is derived from the site's salts
 * in wp-config.php, which are not in the database; changing the salts makes the
 * stored secrets unreadable and the settings page asks for them again.
 *
 * Format: "smtpx1:" base64( nonce(12) . tag(16) . ciphertext ), AES-256-GCM.
 *
 * @package Smtpx
 */

namespace Smtpx\WordPress;

defined( 'ABSPATH' ) || exit;

/**
 * Seal and open secrets at rest.
 */
final class Secret_Box {

	private const PREFIX = 'smtpx1:';
	private const CIPHER = 'aes-256-gcm';

	/**
	 * Encrypts a secret for storage.
	 *
	 * @param string $secret The plain secret.
	 */
	public static function seal( string $secret ): string {
		$nonce  = random_bytes( 12 );
		$tag    = '';
		$cipher = openssl_encrypt( $secret, self::CIPHER, self::key(), OPENSSL_RAW_DATA, $nonce, $tag, self::PREFIX );
		return self::PREFIX . base64_encode( $nonce . $tag . $cipher ); // phpcs:ignore Generic.PHP.ForbiddenFunctions.Found -- binary ciphertext in a text option.
	}

	/**
	 * The plain secret, or null when it was sealed with other salts or is damaged.
	 *
	 * @param string $sealed A value from seal().
	 */
	public static function open( string $sealed ): ?string {
		if ( ! str_starts_with( $sealed, self::PREFIX ) ) {
			return null;
		}
		$raw = base64_decode( substr( $sealed, strlen( self::PREFIX ) ), true ); // phpcs:ignore Generic.PHP.ForbiddenFunctions.Found -- see seal().
		if ( false === $raw || strlen( $raw ) < 28 ) {
			return null;
		}
		$plain = openssl_decrypt( substr( $raw, 28 ), self::CIPHER, self::key(), OPENSSL_RAW_DATA, substr( $raw, 0, 12 ), substr( $raw, 12, 16 ), self::PREFIX );
		return false === $plain ? null : $plain;
	}

	/**
	 * 32 bytes from the site's salts, separated from every other use of them by a label.
	 */
	private static function key(): string {
		return hash_hmac( 'sha256', 'smtpx secret box v1', wp_salt( 'secure_auth' ), true );
	}
}
