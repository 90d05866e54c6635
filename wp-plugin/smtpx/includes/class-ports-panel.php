<?php
/**
 * The Ports panel: runs the extension's smtpx_probe() against the primary
 * connection and shows, per port, what the extension measured (reachable or
 * blocked, TLS, certificate, AUTH) and the port it recommends. The plugin only
 * displays the measurement; the probing is the extension's.
 *
 * @package Smtpx
 */

namespace Smtpx\WordPress;

defined( 'ABSPATH' ) || exit;

/**
 * The admin-post action and the panel.
 */
final class Ports_Panel {

	public const ACTION = 'smtpx_probe';

	/**
	 * Whether the loaded extension can probe.
	 */
	public static function available(): bool {
		return function_exists( 'smtpx_probe' );
	}

	/**
	 * The admin_post_smtpx_probe action.
	 */
	public static function handle(): void {
		if ( ! current_user_can( 'manage_options' ) ) {
			wp_die( esc_html__( 'You are not allowed to check ports.', 'smtpx' ), 403 );
		}
		check_admin_referer( self::ACTION );
		$transport = Settings::transport( 'primary' );
		if ( ! self::available() || false === $transport ) {
			$probe = array( 'error' => __( 'Configure a connection first; the probe checks its ports.', 'smtpx' ) );
		} else {
			try {
				$probe = smtpx_probe( $transport );
			} catch ( \Throwable $failure ) {
				$probe = array( 'error' => $failure->getMessage() );
			}
		}
		set_transient( 'smtpx_probe_' . get_current_user_id(), $probe, HOUR_IN_SECONDS );
		wp_safe_redirect( Settings_Page::url() . '#smtpx-ports' );
		exit;
	}

	/**
	 * The panel: the button and the last probe of this user.
	 */
	public static function render(): void {
		echo '<h2 id="smtpx-ports">' . esc_html__( 'Ports', 'smtpx' ) . '</h2>';
		if ( ! self::available() ) {
			echo '<p>' . esc_html__( 'The loaded smtpx extension cannot probe ports (it has no smtpx_probe()).', 'smtpx' ) . '</p>';
			return;
		}
		echo '<p>' . esc_html__( 'Checks from this server which of the provider\'s ports can be reached, with TLS and login, and which one smtpx recommends.', 'smtpx' ) . '</p>';
		echo '<form action="' . esc_url( admin_url( 'admin-post.php' ) ) . '" method="post"><input type="hidden" name="action" value="' . esc_attr( self::ACTION ) . '" />';
		wp_nonce_field( self::ACTION );
		submit_button( __( 'Check ports', 'smtpx' ), 'secondary', 'submit', false );
		echo '</form>';

		$probe = get_transient( 'smtpx_probe_' . get_current_user_id() );
		if ( ! is_array( $probe ) ) {
			return;
		}
		if ( isset( $probe['error'] ) ) {
			echo '<div class="notice notice-error inline"><p>' . esc_html( (string) $probe['error'] ) . '</p></div>';
			return;
		}
		if ( isset( $probe['recommended'] ) ) {
			/* translators: %s: port. */
			echo '<p><strong>' . esc_html( sprintf( __( 'Recommended: %s', 'smtpx' ), self::scalar( $probe['recommended'] ) ) ) . '</strong></p>';
		}
		$ports = isset( $probe['ports'] ) && is_array( $probe['ports'] ) ? $probe['ports'] : array();
		if ( ! $ports ) {
			return;
		}
		$columns = array();
		foreach ( $ports as $row ) {
			$columns = array_unique( array_merge( $columns, array_keys( (array) $row ) ) );
		}
		echo '<table class="widefat striped smtpx-ports"><thead><tr>';
		foreach ( $columns as $column ) {
			echo '<th>' . esc_html( (string) $column ) . '</th>';
		}
		echo '</tr></thead><tbody>';
		foreach ( $ports as $row ) {
			echo '<tr>';
			foreach ( $columns as $column ) {
				echo '<td>' . esc_html( self::scalar( ( (array) $row )[ $column ] ?? '' ) ) . '</td>';
			}
			echo '</tr>';
		}
		echo '</tbody></table>';
	}

	/**
	 * A probe value as text.
	 *
	 * @param mixed $value A value from the probe.
	 */
	private static function scalar( $value ): string {
		if ( is_bool( $value ) ) {
			return $value ? __( 'yes', 'smtpx' ) : __( 'no', 'smtpx' );
		}
		if ( is_array( $value ) ) {
			return implode( ', ', array_map( array( self::class, 'scalar' ), $value ) );
		}
		return (string) $value;
	}
}
