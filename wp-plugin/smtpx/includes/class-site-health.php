<?php
/**
 * Site Health tests: the extension (loaded, version), the connection (configured,
 * and how the last submissions went) and recent failures. The connection is not
 * contacted here: Site Health runs often, and the Ports panel measures on demand.
 *
 * @package Smtpx
 */

namespace Smtpx\WordPress;

defined( 'ABSPATH' ) || exit;

/**
 * The site_status_tests filter and its tests.
 */
final class Site_Health {

	/**
	 * Adds the tests.
	 *
	 * @param array<string, mixed> $tests Core's tests.
	 * @return array<string, mixed>
	 */
	public static function register( $tests ) {
		$tests['direct']['smtpx_extension']  = array(
			'label' => __( 'smtpx extension', 'smtpx' ),
			'test'  => array( self::class, 'test_extension' ),
		);
		$tests['direct']['smtpx_connection'] = array(
			'label' => __( 'smtpx connection', 'smtpx' ),
			'test'  => array( self::class, 'test_connection' ),
		);
		return $tests;
	}

	/**
	 * Whether the extension is loaded, and its version.
	 *
	 * @return array<string, mixed>
	 */
	public static function test_extension(): array {
		if ( Settings::extension_loaded() ) {
			/* translators: %s: version. */
			return self::result( 'good', sprintf( __( 'The smtpx extension %s is loaded', 'smtpx' ), phpversion( 'smtpx' ) ), __( 'WordPress can send mail through smtpx.', 'smtpx' ), 'smtpx_extension' );
		}
		return self::result( 'critical', __( 'The smtpx extension is not loaded', 'smtpx' ), __( 'Without it the smtpx plugin leaves mail to WordPress\'s own path. Ask your host to install and enable the extension.', 'smtpx' ), 'smtpx_extension' );
	}

	/**
	 * Whether a connection is configured and how recent submissions went.
	 *
	 * @return array<string, mixed>
	 */
	public static function test_connection(): array {
		if ( ! Settings::is_configured( 'primary' ) ) {
			return self::result( 'recommended', __( 'No smtpx connection is configured', 'smtpx' ), __( 'Choose a mail provider under Settings > smtpx.', 'smtpx' ), 'smtpx_connection' );
		}
		$failures = array_filter(
			Failure_Log::recent(),
			static function ( $failure ) {
				return (int) $failure['time'] > time() - DAY_IN_SECONDS;
			}
		);
		if ( $failures ) {
			$last = reset( $failures );
			/* translators: 1: number of failures, 2: last server reply, 3: hint. */
			$text = sprintf( __( '%1$d submissions failed in the last 24 hours. The last: %2$s %3$s', 'smtpx' ), count( $failures ), $last['message'], $last['hint'] );
			return self::result( 'critical', __( 'Mail recently failed to go out through smtpx', 'smtpx' ), $text, 'smtpx_connection' );
		}
		/* translators: %s: host. */
		return self::result( 'good', sprintf( __( 'smtpx sends mail to %s', 'smtpx' ), Settings::host( 'primary' ) ), __( 'No failed submission in the last 24 hours. Use "Send test email" under Settings > smtpx to check the connection now.', 'smtpx' ), 'smtpx_connection' );
	}

	/**
	 * A Site Health result.
	 *
	 * @param string $status      good, recommended or critical.
	 * @param string $label       The headline.
	 * @param string $description The explanation.
	 * @param string $test        The test id.
	 * @return array<string, mixed>
	 */
	private static function result( string $status, string $label, string $description, string $test ): array {
		return array(
			'label'       => $label,
			'status'      => $status,
			'badge'       => array(
				'label' => __( 'Email', 'smtpx' ),
				'color' => 'good' === $status ? 'blue' : 'red',
			),
			'description' => '<p>' . esc_html( $description ) . '</p>',
			'actions'     => sprintf( '<p><a href="%s">%s</a></p>', esc_url( Settings_Page::url() ), esc_html__( 'smtpx settings', 'smtpx' ) ),
			'test'        => $test,
		);
	}
}
