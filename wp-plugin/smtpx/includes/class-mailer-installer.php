<?php
/**
 * Puts smtpx's Mailer in place as the global $phpmailer that wp_mail() uses, and
 * adds the SMTP details to the WP_Error of wp_mail_failed.
 *
 * The global is replaced at the start of every wp_mail() call (the pre_wp_mail
 * filter, last priority), so it stays a PHPMailer instance for every plugin that
 * inspects it, and a plugin that reset it in between is noticed.
 *
 * @package Smtpx
 */

namespace Smtpx\WordPress;

use PHPMailer\PHPMailer\PHPMailer;

defined( 'ABSPATH' ) || exit;

/**
 * Installs the Mailer.
 */
final class Mailer_Installer {

	/**
	 * The pre_wp_mail filter: leaves the value alone, installs the Mailer when smtpx routes mail.
	 *
	 * @param null|bool            $short_circuit Another filter's answer.
	 * @param array<string, mixed> $atts          wp_mail()'s arguments, kept with the message.
	 * @return null|bool
	 */
	public static function before_wp_mail( $short_circuit, $atts = array() ) {
		if ( null === $short_circuit && Settings::routes_mail() ) {
			self::install()->smtpx_mail_data = is_array( $atts ) ? $atts : array();
		}
		return $short_circuit;
	}

	/**
	 * Makes the global $phpmailer an smtpx Mailer, configured as wp_mail() configures its own.
	 */
	public static function install(): Mailer {
		global $phpmailer;
		if ( $phpmailer instanceof Mailer ) {
			return $phpmailer;
		}
		require_once ABSPATH . WPINC . '/PHPMailer/PHPMailer.php';
		require_once ABSPATH . WPINC . '/PHPMailer/SMTP.php';
		require_once ABSPATH . WPINC . '/PHPMailer/Exception.php';
		require_once __DIR__ . '/class-mailer.php';

		// WordPress 6.8 makes its own mailer a WP_PHPMailer (PHPMailer with translated errors):
		// core's, not another plugin's.
		if ( $phpmailer instanceof PHPMailer && ! in_array( get_class( $phpmailer ), array( PHPMailer::class, 'WP_PHPMailer' ), true ) ) {
			Conflicts::note_foreign_mailer( get_class( $phpmailer ) );
		}
		$phpmailer = new Mailer( true ); // Replacing core's global is the point.
		// As wp_mail() does for its own instance.
		$phpmailer::$validator = static function ( $email ) {
			return (bool) is_email( $email );
		};
		return $phpmailer;
	}

	/**
	 * The wp_mail_failed action, first priority: adds phase, SMTP code and enhanced
	 * status to the error's data so every later listener sees them.
	 *
	 * @param \WP_Error $error Core's error.
	 */
	public static function add_failure_details( $error ): void {
		global $phpmailer;
		if ( ! ( $error instanceof \WP_Error ) || ! ( $phpmailer instanceof Mailer ) || null === $phpmailer->smtpx_failure ) {
			return;
		}
		$data = $error->get_error_data( 'wp_mail_failed' );
		if ( isset( $data['smtp_phase'] ) ) {
			return; // Fired by a drainer (Delivery::announce()) with the details of its own message.
		}
		$error->add_data(
			array_merge( is_array( $data ) ? $data : array(), Delivery::error_data( $phpmailer->smtpx_failure ) ),
			'wp_mail_failed'
		);
	}
}
