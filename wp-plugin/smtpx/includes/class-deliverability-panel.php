<?php
/**
 * The Deliverability panel: what the From domain's DNS tells receivers (Domain_Check),
 * one line per finding with its severity, the sentence and the exact record to
 * publish. The DNS is asked when the button is pressed, never on page load; the page
 * shows the last report.
 *
 * @package Smtpx
 */

namespace Smtpx\WordPress;

defined( 'ABSPATH' ) || exit;

/**
 * The admin-post action and the panel.
 */
final class Deliverability_Panel {

	public const ACTION = 'smtpx_domain_check';

	/**
	 * The admin_post_smtpx_domain_check action.
	 */
	public static function handle(): void {
		if ( ! current_user_can( 'manage_options' ) ) {
			wp_die( esc_html__( 'You are not allowed to check the domain.', 'smtpx' ), 403 );
		}
		check_admin_referer( self::ACTION );
		Domain_Check::report( true );
		wp_safe_redirect( Settings_Page::url() . '#smtpx-deliverability' );
		exit;
	}

	/**
	 * The panel.
	 */
	public static function render(): void {
		echo '<h2 id="smtpx-deliverability">' . esc_html__( 'Deliverability', 'smtpx' ) . '</h2>';
		/* translators: %s: domain such as example.com. */
		echo '<p>' . esc_html( sprintf( __( 'Checks the DNS of %s, the domain of your From address, for what receivers look at: SPF (and whether it allows your provider), DKIM, DMARC and MX. Each problem comes with the record to publish.', 'smtpx' ), Domain_Check::from_domain() ) ) . '</p>';
		if ( ! Domain_Check::available() ) {
			echo '<p class="smtpx-needs-extension">' . esc_html__( 'Checking SPF, DMARC and MX needs the smtpx extension; without it, only the DKIM record is checked.', 'smtpx' ) . '</p>';
		}
		echo '<form action="' . esc_url( admin_url( 'admin-post.php' ) ) . '" method="post"><input type="hidden" name="action" value="' . esc_attr( self::ACTION ) . '" />';
		wp_nonce_field( self::ACTION );
		submit_button( __( 'Check domain', 'smtpx' ), 'secondary', 'submit', false );
		echo '</form>';

		$report = Domain_Check::kept();
		if ( null === $report ) {
			return;
		}
		/* translators: 1: domain, 2: how long ago, e.g. "5 mins". */
		echo '<p class="description">' . esc_html( sprintf( __( 'Checked %1$s %2$s ago.', 'smtpx' ), $report['domain'], human_time_diff( (int) $report['checked'] ) ) ) . '</p>';
		if ( '' !== $report['error'] ) {
			echo '<div class="notice notice-error inline"><p>' . esc_html( $report['error'] ) . '</p></div>';
		}
		self::render_findings( $report['findings'], 'smtpx-findings' );
	}

	/**
	 * Findings as a table: severity, sentence, record to publish.
	 *
	 * @param array<int, array<string, mixed>> $findings check, severity, message, record.
	 * @param string                           $class    The table's class.
	 */
	public static function render_findings( array $findings, string $class ): void {
		if ( ! $findings ) {
			return;
		}
		$labels = array(
			'ok'      => __( 'OK', 'smtpx' ),
			'info'    => __( 'Note', 'smtpx' ),
			'warning' => __( 'Warning', 'smtpx' ),
			'error'   => __( 'Problem', 'smtpx' ),
		);
		echo '<table class="widefat striped ' . esc_attr( $class ) . '"><thead><tr><th>' . esc_html__( 'Check', 'smtpx' ) . '</th><th>' . esc_html__( 'Result', 'smtpx' ) . '</th><th>' . esc_html__( 'What receivers see', 'smtpx' ) . '</th><th>' . esc_html__( 'Record to publish', 'smtpx' ) . '</th></tr></thead><tbody>';
		foreach ( $findings as $finding ) {
			$severity = (string) $finding['severity'];
			echo '<tr class="smtpx-finding smtpx-' . esc_attr( $severity ) . '" data-check="' . esc_attr( (string) $finding['check'] ) . '">';
			echo '<td>' . esc_html( strtoupper( (string) $finding['check'] ) ) . '</td>';
			echo '<td>' . esc_html( $labels[ $severity ] ?? $severity ) . '</td>';
			echo '<td>' . esc_html( (string) $finding['message'] ) . '</td>';
			echo '<td>' . ( empty( $finding['record'] ) ? '' : Record_Copy::html( (string) $finding['record'], 'smtpx-publish' ) ) . '</td>'; // Record_Copy::html() escapes.
			echo '</tr>';
		}
		echo '</tbody></table>';
	}
}
