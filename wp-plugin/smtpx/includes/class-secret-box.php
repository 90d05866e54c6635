<?php
/**
 * Encrypts the secrets saved from the settings page, so a database dump or backup
 * does not hand out the mail account. The key is derived from the site's salts
 * in wp-config.php, which are not in the database; changing the salts makes the
 * stored secrets unreadable and the settings page asks for them again.
 *
 * A secret is bound to where it may go: the host and user it was saved for are its
 * associated data, so a secret copied to another connection, or kept while the host
 * is changed, does not open, and the password must be typed again.
 *
 * Format: "smtpx2:" base64( nonce(12) . tag(16) . ciphertext ), AES-256-GCM, associated
 * data "smtpx2:" . binding. Secrets saved before binding ("smtpx1:", associated data
 * "smtpx1:") still open, until they are saved again.
 *
 * @package Smtpx
 */

namespace Smtpx\WordPress;

defined( 'ABSPATH' ) || exit;

/**
 * Seal and open secrets at rest.
 */
final class Secret_Box {

	private const PREFIX        = 'smtpx2:';
	private const UNBOUND_PREFIX = 'smtpx1:';
	private const CIPHER        = 'aes-256-gcm';

	/**
	 * Encrypts a secret for storage, bound to where it may be sent.
	 *
	 * @param string $secret  The plain secret.
	 * @param string $binding Settings::secret_binding() of its connection.
	 */
	public static function seal( string $secret, string $binding ): string {
		$nonce  = random_bytes( 12 );
		$tag    = '';
		$cipher = openssl_encrypt( $secret, self::CIPHER, self::key(), OPENSSL_RAW_DATA, $nonce, $tag, self::PREFIX . $binding );
		return self::PREFIX . base64_encode( $nonce . $tag . $cipher ); // phpcs:ignore Generic.PHP.ForbiddenFunctions.Found -- binary ciphertext in a text option.
	}

	/**
	 * The plain secret, or null when it was sealed with other salts, for another host or
	 * user, or is damaged.
	 *
	 * @param string $sealed  A value from seal().
	 * @param string $binding Settings::secret_binding() of the connection it is opened for.
	 */
	public static function open( string $sealed, string $binding ): ?string {
		foreach ( array( self::PREFIX => self::PREFIX . $binding, self::UNBOUND_PREFIX => self::UNBOUND_PREFIX ) as $prefix => $associated ) {
			if ( ! str_starts_with( $sealed, $prefix ) ) {
				continue;
			}
			$raw = base64_decode( substr( $sealed, strlen( $prefix ) ), true ); // phpcs:ignore Generic.PHP.ForbiddenFunctions.Found -- see seal().
			if ( false === $raw || strlen( $raw ) < 28 ) {
				return null;
			}
			$plain = openssl_decrypt( substr( $raw, 28 ), self::CIPHER, self::key(), OPENSSL_RAW_DATA, substr( $raw, 0, 12 ), substr( $raw, 12, 16 ), $associated );
			return false === $plain ? null : $plain;
		}
		return null;
	}

	/**
	 * 32 bytes from the site's salts, separated from every other use of them by a label.
	 */
	private static function key(): string {
		return hash_hmac( 'sha256', 'smtpx secret box v1', wp_salt( 'secure_auth' ), true );
	}
}
