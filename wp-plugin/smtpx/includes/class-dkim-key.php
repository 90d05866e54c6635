<?php
/**
 * DKIM keys: a new key pair (RSA 2048 with PHP's openssl extension, Ed25519 with
 * sodium, written as the PKCS#8 PEM that both the extension and OpenSSL read, so one
 * path serves PHP 8.2, whose openssl_pkey_new() makes no Ed25519 key, and 8.4), the
 * public half of a private key as DNS publishes it (RFC 6376 3.6.1: the
 * SubjectPublicKeyInfo for RSA; RFC 8463 4.2: the 32 raw bytes for Ed25519), and the
 * TXT record to publish, split into strings of at most 255 bytes (RFC 1035 3.3.14)
 * for DNS control panels that want them one by one.
 *
 * @package Smtpx
 */

namespace Smtpx\WordPress;

defined( 'ABSPATH' ) || exit;

/**
 * Key pairs and their records.
 */
final class Dkim_Key {

	public const RSA     = 'rsa-sha256';
	public const ED25519 = 'ed25519-sha256';

	/**
	 * DER prefixes: PKCS#8 of an Ed25519 seed (RFC 8410 7), the SubjectPublicKeyInfo of
	 * an Ed25519 key, and the rsaEncryption algorithm identifier of an RSA one.
	 */
	private const ED25519_PKCS8_PREFIX = '302e020100300506032b657004220420';
	private const ED25519_SPKI_PREFIX  = '302a300506032b6570032100';
	private const RSA_ALGORITHM_ID     = '06092a864886f70d010101';

	/**
	 * Whether keys of this algorithm can be made here.
	 *
	 * @param string $algorithm RSA or ED25519.
	 */
	public static function can_generate( string $algorithm ): bool {
		return self::ED25519 === $algorithm ? function_exists( 'sodium_crypto_sign_keypair' ) : function_exists( 'openssl_pkey_new' );
	}

	/**
	 * A new private key, PEM.
	 *
	 * @param string $algorithm RSA or ED25519.
	 * @return string|null Null when this PHP cannot make one (no openssl or sodium extension).
	 */
	public static function generate( string $algorithm ): ?string {
		if ( ! self::can_generate( $algorithm ) ) {
			return null;
		}
		if ( self::ED25519 === $algorithm ) {
			$seed = substr( sodium_crypto_sign_secretkey( sodium_crypto_sign_keypair() ), 0, SODIUM_CRYPTO_SIGN_SEEDBYTES );
			return self::pem( 'PRIVATE KEY', hex2bin( self::ED25519_PKCS8_PREFIX ) . $seed );
		}
		$key = openssl_pkey_new(
			array(
				'private_key_type' => OPENSSL_KEYTYPE_RSA,
				'private_key_bits' => 2048,
			)
		);
		return false !== $key && openssl_pkey_export( $key, $pem ) ? $pem : null;
	}

	/**
	 * The algorithm and public half of a private key.
	 *
	 * @param string $pem        The private key, PEM.
	 * @param string $passphrase Its passphrase, "" when it is not encrypted.
	 * @return array{algorithm: string, public_key: string, bits: int}|null Null when it is no RSA or Ed25519 key, or cannot be read.
	 */
	public static function describe( string $pem, string $passphrase = '' ): ?array {
		$key     = openssl_pkey_get_private( $pem, $passphrase );
		$details = false === $key ? false : openssl_pkey_get_details( $key );
		if ( false === $details || ! isset( $details['key'] ) ) {
			return null;
		}
		$spki = (string) base64_decode( preg_replace( '/-----[^-]+-----|\s+/', '', $details['key'] ), true ); // phpcs:ignore Generic.PHP.ForbiddenFunctions.Found -- PEM is base64 by definition.
		$hex  = bin2hex( $spki );
		if ( str_starts_with( $hex, self::ED25519_SPKI_PREFIX ) && 44 === strlen( $spki ) ) {
			return array(
				'algorithm'  => self::ED25519,
				'public_key' => base64_encode( substr( $spki, -32 ) ), // phpcs:ignore Generic.PHP.ForbiddenFunctions.Found -- DNS publishes it base64.
				'bits'       => 256,
			);
		}
		if ( str_contains( substr( $hex, 0, 40 ), self::RSA_ALGORITHM_ID ) ) {
			return array(
				'algorithm'  => self::RSA,
				'public_key' => base64_encode( $spki ), // phpcs:ignore Generic.PHP.ForbiddenFunctions.Found -- DNS publishes it base64.
				'bits'       => (int) ( $details['bits'] ?? 0 ),
			);
		}
		return null;
	}

	/**
	 * The record's name: selector._domainkey.domain.
	 *
	 * @param string $selector The selector.
	 * @param string $domain   The signing domain.
	 */
	public static function record_name( string $selector, string $domain ): string {
		return $selector . '._domainkey.' . $domain;
	}

	/**
	 * The TXT record's value.
	 *
	 * @param string $algorithm  RSA or ED25519.
	 * @param string $public_key As describe() gives it.
	 */
	public static function record_value( string $algorithm, string $public_key ): string {
		return 'v=DKIM1; k=' . ( self::ED25519 === $algorithm ? 'ed25519' : 'rsa' ) . '; p=' . $public_key;
	}

	/**
	 * The value as DNS character-strings of at most 255 bytes, each quoted, as zone
	 * files and most DNS control panels take a long record.
	 *
	 * @param string $value The record's value.
	 */
	public static function quoted_strings( string $value ): string {
		return '"' . implode( '" "', str_split( $value, 255 ) ) . '"';
	}

	/**
	 * DER as PEM.
	 *
	 * @param string $label PEM label.
	 * @param string $der   The DER bytes.
	 */
	private static function pem( string $label, string $der ): string {
		// phpcs:ignore Generic.PHP.ForbiddenFunctions.Found -- PEM is base64 by definition.
		return "-----BEGIN $label-----\n" . chunk_split( base64_encode( $der ), 64, "\n" ) . "-----END $label-----\n";
	}
}
