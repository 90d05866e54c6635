<?php
/**
 * The Ports panel: runs the extension's smtpx_probe() against the primary
 * connection and shows, per port, what the extension measured (reachable or
 * blocked, TLS, certificate, AUTH) and the port it recommends, and a line for the
 * HTTPS API the connection sends over or falls back to (reachable, TLS verified).
 * The plugin only displays the measurement; the probing is the extension's.
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
		$refusal   = Private_Targets::refusal();
		if ( ! self::available() || false === $transport ) {
			$probe = array( 'error' => __( 'Configure a connection first; the probe checks its ports.', 'smtpx' ) );
		} elseif ( null !== $refusal ) {
			$probe = array( 'error' => $refusal );
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
			$text = Settings::extension_loaded()
				? __( 'The loaded smtpx extension cannot probe ports (it has no smtpx_probe()).', 'smtpx' )
				: __( 'Checking the provider\'s ports needs the smtpx extension; without it, mail goes to each port in turn and "Send test email" shows which one answered.', 'smtpx' );
			echo '<p>' . esc_html( $text ) . '</p>';
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
		$api = is_array( $probe['api'] ?? null ) ? $probe['api'] : null;
		if ( null !== $api ) {
			echo '<p class="smtpx-https"><strong>' . esc_html( self::api_line( $api ) ) . '</strong></p>';
		}
		if ( empty( $probe['ports'] ) && null !== $api ) {
			return; // An HTTPS API transport: no SMTP port to show.
		}
		if ( ! empty( $probe['recommended'] ) ) {
			/* translators: %s: port and TLS mode, e.g. "587 (starttls)". */
			echo '<p class="smtpx-recommended"><strong>' . esc_html( sprintf( __( 'Recommended: port %s', 'smtpx' ), self::port_label( $probe['recommended'] ) ) ) . '</strong></p>';
		} else {
			echo '<p class="smtpx-recommended"><strong>' . esc_html__( 'No port of this server can be used from here.', 'smtpx' ) . '</strong></p>';
		}
		echo '<table class="widefat striped smtpx-ports"><thead><tr>';
		foreach ( array( __( 'Port', 'smtpx' ), __( 'Reachable', 'smtpx' ), __( 'TLS', 'smtpx' ), __( 'Certificate', 'smtpx' ), __( 'AUTH', 'smtpx' ), __( 'Usable', 'smtpx' ) ) as $heading ) {
			echo '<th>' . esc_html( $heading ) . '</th>';
		}
		echo '</tr></thead><tbody>';
		foreach ( (array) ( $probe['ports'] ?? array() ) as $port ) {
			echo '<tr>';
			foreach ( self::cells( (array) $port ) as $cell ) {
				echo '<td>' . esc_html( $cell ) . '</td>';
			}
			echo '</tr>';
		}
		echo '</tbody></table>';
	}

	/**
	 * "HTTPS API (brevo+api, https://api.brevo.com): reachable in 0.042 s, TLSv1.3" from smtpx_probe()'s api.
	 *
	 * @param array<string, mixed> $api transport, url, reachable, seconds, tls, error.
	 */
	private static function api_line( array $api ): string {
		$what = sprintf( 'HTTPS API (%s, %s)', $api['transport'] ?? '', $api['url'] ?? '' );
		if ( empty( $api['reachable'] ) ) {
			/* translators: 1: the API and its URL, 2: why it cannot be reached. */
			return sprintf( __( '%1$s: not reachable: %2$s', 'smtpx' ), $what, (string) ( $api['error'] ?? '' ) );
		}
		/* translators: 1: the API and its URL, 2: seconds, 3: TLS version. */
		return sprintf( __( '%1$s: reachable in %2$s s, %3$s, certificate verified', 'smtpx' ), $what, number_format_i18n( (float) ( $api['seconds'] ?? 0 ), 3 ), $api['tls'] ?? '' );
	}

	/**
	 * One row of the table from one port of smtpx_probe()'s report.
	 *
	 * @param array<string, mixed> $port port, tls, connected, connect_seconds, tls_info,
	 *                                   auth, auth_succeeded, usable, failed_phase, error.
	 * @return string[]
	 */
	private static function cells( array $port ): array {
		$reachable = empty( $port['connected'] )
			? __( 'blocked or refused', 'smtpx' )
			/* translators: %s: seconds. */
			: sprintf( __( 'yes (%s s)', 'smtpx' ), number_format_i18n( (float) ( $port['connect_seconds'] ?? 0 ), 3 ) );
		$tls         = '';
		$certificate = '';
		if ( is_array( $port['tls_info'] ?? null ) ) {
			$info        = $port['tls_info'];
			$tls         = trim( ( $info['version'] ?? '' ) . ' ' . ( $info['cipher'] ?? '' ) );
			$certificate = empty( $info['verified'] )
				/* translators: %s: why verification failed. */
				? sprintf( __( 'not verified: %s', 'smtpx' ), $info['verify_error'] ?? '' )
				/* translators: 1: certificate subject, 2: issuer, 3: expiry. */
				: sprintf( __( '%1$s, issued by %2$s, expires %3$s', 'smtpx' ), $info['subject'] ?? '', $info['issuer'] ?? '', $info['expires'] ?? '' );
		}
		$auth = implode( ' ', (array) ( $port['auth'] ?? array() ) );
		if ( isset( $port['auth_succeeded'] ) ) {
			$auth .= ' ' . ( $port['auth_succeeded'] ? __( '(login accepted)', 'smtpx' ) : __( '(login refused)', 'smtpx' ) );
		}
		$error  = Private_Targets::without_banner( (string) ( $port['error'] ?? '' ), (string) ( $port['failed_phase'] ?? '' ), 0 );
		$usable = empty( $port['usable'] )
			? trim( __( 'no', 'smtpx' ) . ' ' . ( isset( $port['failed_phase'] ) ? '(' . $port['failed_phase'] . ') ' : '' ) . $error )
			: __( 'yes', 'smtpx' );
		return array( self::port_label( $port ), $reachable, $tls, $certificate, trim( $auth ), $usable );
	}

	/**
	 * "587 (starttls)" from a port choice.
	 *
	 * @param mixed $choice port and tls.
	 */
	private static function port_label( $choice ): string {
		$choice = (array) $choice;
		return trim( ( $choice['port'] ?? '' ) . ( isset( $choice['tls'] ) ? ' (' . $choice['tls'] . ')' : '' ) );
	}
}
