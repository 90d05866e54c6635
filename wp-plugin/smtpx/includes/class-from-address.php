<?php
/**
 * The configured From address and name: they replace WordPress's made-up default
 * (wordpress@site, "WordPress"), or every From when "Force From" is on, because
 * providers send only from verified senders. Applied in the last wp_mail_from and
 * wp_mail_from_name filters, so they win over other plugins only when forced.
 *
 * @package Smtpx
 */

namespace Smtpx\WordPress;

defined( 'ABSPATH' ) || exit;

/**
 * The From filters.
 */
final class From_Address {

	/**
	 * The wp_mail_from filter, last priority: the configured From replaces WordPress's
	 * default address, or every address when it is forced.
	 *
	 * @param string $from_email The From address so far.
	 */
	public static function from_email( $from_email ) {
		$configured = (string) Settings::value( 'from_email' );
		if ( '' !== $configured && ( Settings::value( 'force_from' ) || self::is_core_default_from( (string) $from_email ) ) ) {
			return $configured;
		}
		return $from_email;
	}

	/**
	 * The wp_mail_from_name filter, last priority: as from_email() for the name.
	 *
	 * @param string $from_name The From name so far.
	 */
	public static function from_name( $from_name ) {
		$configured = (string) Settings::value( 'from_name' );
		if ( '' !== $configured && ( Settings::value( 'force_from' ) || 'WordPress' === $from_name ) ) {
			return $configured;
		}
		return $from_name;
	}

	/**
	 * Whether this is the "wordpress@site" address wp_mail() makes up when no From is given.
	 *
	 * @param string $from_email An address.
	 */
	private static function is_core_default_from( string $from_email ): bool {
		$sitename = wp_parse_url( network_home_url(), PHP_URL_HOST );
		if ( null !== $sitename && str_starts_with( $sitename, 'www.' ) ) {
			$sitename = substr( $sitename, 4 );
		}
		return 'wordpress@' . $sitename === $from_email;
	}
}
