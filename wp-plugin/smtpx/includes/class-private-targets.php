<?php
/**
 * The test email and the Ports panel connect wherever the settings say and report what
 * answered: from the hands of someone who is not the server's owner (a multisite site
 * administrator, or any administrator of a site with DISALLOW_FILE_MODS), that is a way
 * to scan the server's own network. For them these checks refuse loopback, private and
 * reserved addresses, unless wp-config.php defines SMTPX_ALLOW_PRIVATE_HOSTS.
 *
 * Whoever runs them, what a service that is not SMTP said (an SSH or HTTP banner, a
 * database's greeting) is never shown: the failure says it was not SMTP, not what it was.
 *
 * @package Smtpx
 */

namespace Smtpx\WordPress;

defined( 'ABSPATH' ) || exit;

/**
 * Refuses checks of internal addresses.
 */
final class Private_Targets {

	/**
	 * Whether the current user's checks may not reach internal addresses.
	 */
	public static function restricted(): bool {
		if ( defined( 'SMTPX_ALLOW_PRIVATE_HOSTS' ) && SMTPX_ALLOW_PRIVATE_HOSTS ) {
			return false;
		}
		return ( is_multisite() && ! is_super_admin() ) || ( defined( 'DISALLOW_FILE_MODS' ) && DISALLOW_FILE_MODS );
	}

	/**
	 * Why the current user may not check the configured connections, or null.
	 */
	public static function refusal(): ?string {
		if ( ! self::restricted() ) {
			return null;
		}
		foreach ( Settings::CONNECTIONS as $connection ) {
			$host = Settings::is_configured( $connection ) ? Settings::host( $connection ) : '';
			foreach ( self::addresses( $host ) as $address ) {
				if ( ! filter_var( $address, FILTER_VALIDATE_IP, FILTER_FLAG_NO_PRIV_RANGE | FILTER_FLAG_NO_RES_RANGE ) ) {
					/* translators: 1: host name, 2: its IP address. */
					return sprintf( __( '%1$s is an internal address (%2$s): the test email and the port check may not reach it from here. The server\'s owner can allow it with SMTPX_ALLOW_PRIVATE_HOSTS in wp-config.php.', 'smtpx' ), $host, $address );
				}
			}
		}
		return null;
	}

	/**
	 * A failure's text without what a service that is not SMTP sent (the extension quotes
	 * the line it could not read as an SMTP reply).
	 *
	 * @param string $text  The failure's message or error.
	 * @param string $phase The phase that failed.
	 * @param int    $code  The SMTP code, 0 when the server sent none.
	 */
	public static function without_banner( string $text, string $phase, int $code ): string {
		if ( 0 !== $code || ! in_array( $phase, array( 'connect', 'greeting' ), true ) ) {
			return $text;
		}
		return (string) preg_replace( '/"[^"]*"/', '"(not shown)"', $text );
	}

	/**
	 * The addresses a host name stands for (IPv4 from DNS; a literal as it is).
	 *
	 * @param string $host A host name or address, "" for none.
	 * @return string[]
	 */
	private static function addresses( string $host ): array {
		$host = trim( $host, '[]' );
		if ( '' === $host ) {
			return array();
		}
		if ( filter_var( $host, FILTER_VALIDATE_IP ) ) {
			return array( $host );
		}
		$found = gethostbynamel( $host );
		return false === $found ? array() : $found;
	}
}
