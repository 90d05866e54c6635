<?php
/**
 * Alerts for what needs a person: a message that failed for good, a refused login
 * (every later mail will fail the same way), or an outbox that is stuck. The alert
 * email goes through the fallback connection, or PHP's mail() without one, never
 * through the primary that is failing; the webhook receives Slack-compatible JSON
 * ({"text": ...}). At most one alert of each kind an hour.
 *
 * @package Smtpx
 */

namespace Smtpx\WordPress;

defined( 'ABSPATH' ) || exit;

/**
 * Sends alerts.
 */
final class Alerts {

	/**
	 * The wp_mail_failed action, last priority: a failure of smtpx's, with the SMTP
	 * details; a message delivered to some recipients and refused for others is not one.
	 *
	 * @param \WP_Error $error The failure.
	 */
	public static function after_failure( $error ): void {
		$data = $error instanceof \WP_Error ? $error->get_error_data( 'wp_mail_failed' ) : null;
		if ( ! is_array( $data ) || ! isset( $data['smtp_phase'] ) || ! empty( $data['smtp_rejected'] ) || ! empty( $data['smtp_outcome_unknown'] ) ) {
			return;
		}
		$to = implode( ', ', (array) ( $data['to'] ?? array() ) );
		if ( 'auth' === $data['smtp_phase'] ) {
			/* translators: 1: site name, 2: the failure. */
			self::raise( 'auth', sprintf( __( 'smtpx on %1$s: the mail server refused the login, so mail cannot go out until the credentials are fixed. %2$s', 'smtpx' ), self::site_name(), $error->get_error_message() ) );
			return;
		}
		/* translators: 1: site name, 2: recipients, 3: the failure. */
		self::raise( 'failed', sprintf( __( 'smtpx on %1$s: mail to %2$s failed and will not be retried. %3$s', 'smtpx' ), self::site_name(), $to, $error->get_error_message() ) );
	}

	/**
	 * The OAuth grant of the primary connection was refused: no mail goes out through it
	 * until the account is connected again (Oauth_Grant::note_failure()).
	 *
	 * @param string $reason What the provider said, for people.
	 */
	public static function reconnect_needed( string $reason ): void {
		/* translators: 1: site name, 2: why. */
		self::raise( 'oauth', sprintf( __( 'smtpx on %1$s: %2$s. Mail waits in the outbox until the account is connected again under Settings > smtpx.', 'smtpx' ), self::site_name(), $reason ) );
	}

	/**
	 * The smtpx_queue_run action, after the run: an outbox whose oldest message waits too long.
	 */
	public static function check_queue(): void {
		$state = Outbox_Log::queue_state();
		if ( $state['stuck'] ) {
			/* translators: 1: site name, 2: number of messages, 3: how long the oldest has waited. */
			$text = sprintf( _n( 'smtpx on %1$s: %2$s message is waiting in the outbox, for %3$s. The email log says why.', 'smtpx on %1$s: %2$s messages are waiting in the outbox, the oldest for %3$s. The email log says why.', $state['waiting'], 'smtpx' ), self::site_name(), number_format_i18n( $state['waiting'] ), human_time_diff( $state['oldest'] ) );
			self::raise( 'stuck', $text );
		}
	}

	/**
	 * Sends an alert unless one of this kind went out in the last hour.
	 *
	 * @param string $kind auth, oauth, failed or stuck.
	 * @param string $text What happened.
	 */
	private static function raise( string $kind, string $text ): void {
		$email   = (string) Settings::value( 'alert_email' );
		$webhook = (string) Settings::value( 'alert_webhook' );
		if ( ( '' === $email && '' === $webhook ) || false !== get_transient( 'smtpx_alert_' . $kind ) ) {
			return;
		}
		set_transient( 'smtpx_alert_' . $kind, time(), HOUR_IN_SECONDS );
		$text .= ' ' . Log_Page::url();
		if ( '' !== $email ) {
			self::email( $email, $text );
		}
		if ( '' !== $webhook ) {
			wp_safe_remote_post(
				$webhook,
				array(
					'headers' => array( 'Content-Type' => 'application/json' ),
					'body'    => (string) wp_json_encode( array( 'text' => $text ) ),
					'timeout' => 5,
				)
			);
		}
	}

	/**
	 * Mails the alert through the fallback connection, or PHP's mail().
	 *
	 * @param string $to   The address.
	 * @param string $text The alert.
	 */
	private static function email( string $to, string $text ): void {
		$subject = __( 'smtpx alert', 'smtpx' ) . ': ' . self::site_name();
		if ( ! Settings::is_configured( 'fallback' ) || ! self::email_through_fallback( $to, $subject, $text ) ) {
			mail( $to, mb_encode_mimeheader( $subject, 'UTF-8' ), wordwrap( $text, 76 ), array( 'Content-Type' => 'text/plain; charset=UTF-8' ) );
		}
	}

	/**
	 * Mails the alert through the fallback connection.
	 *
	 * @param string $to      The address.
	 * @param string $subject The subject.
	 * @param string $text    The alert.
	 * @return bool Whether the fallback accepted it.
	 */
	private static function email_through_fallback( string $to, string $subject, string $text ): bool {
		$from = (string) Settings::value( 'from_email' );
		$from = '' === $from ? 'wordpress@' . wp_parse_url( home_url(), PHP_URL_HOST ) : $from;
		$mime = implode(
			"\r\n",
			array(
				'Date: ' . gmdate( 'D, d M Y H:i:s +0000' ),
				'From: ' . $from,
				'To: ' . $to,
				'Subject: ' . mb_encode_mimeheader( $subject, 'UTF-8', 'B', "\r\n" ),
				'Message-ID: <' . bin2hex( random_bytes( 12 ) ) . '@' . wp_parse_url( home_url(), PHP_URL_HOST ) . '>',
				'MIME-Version: 1.0',
				'Content-Type: text/plain; charset=UTF-8',
				'Content-Transfer-Encoding: 8bit',
				'',
				wordwrap( $text, 76 ),
				'',
			)
		);
		try {
			$fields = array(
				'from'    => $from,
				'to'      => array( $to ),
				'subject' => $subject,
				'text'    => $text,
			);
			Submission::submit_through(
				'fallback',
				array(
					'envelope_from' => $from,
					'envelope_to'   => array( $to ),
					'mime'          => $mime,
					'fields'        => $fields,
				)
			);
			return true;
		} catch ( \Smtpx\Exception | Smtp_Failure | \ValueError ) {
			return false;
		}
	}

	/**
	 * The site's name for the alert's text.
	 */
	private static function site_name(): string {
		return wp_specialchars_decode( (string) get_bloginfo( 'name' ), ENT_QUOTES );
	}
}
