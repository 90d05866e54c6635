<?php
/**
 * One delivery attempt of a claimed outbox row, wherever it runs (inside wp_mail(),
 * after the response, from WP-Cron): submit through the primary and, when that may
 * help, the fallback connection (Submission), record the outcome in the row, and
 * announce it.
 *
 * What fires when:
 * - smtpx_mail_deferred ($id, $failure, $mail_data): a transient failure, retried later;
 * - smtpx_mail_held ($id, $failure, $mail_data): the outcome is unknown, held for a person;
 * - wp_mail_succeeded ($mail_data): delivered; wp_mail_failed (WP_Error): failed for good,
 *   or a recipient refused. Inside wp_mail() core fires these two itself.
 *
 * @package Smtpx
 */

namespace Smtpx\WordPress;

defined( 'ABSPATH' ) || exit;

/**
 * Sends a row and records what happened.
 */
final class Delivery {

	/**
	 * Submits a claimed row and records the outcome in it.
	 *
	 * @param array<string, mixed> $row From Outbox::claim_next() or Outbox::add().
	 * @return array{status: string, result: array<string, mixed>|null, failure: array<string, mixed>|null}
	 *         The row's new status; the extension's result when submitted; the failure,
	 *         or the refused recipients of a submitted message.
	 */
	public static function attempt( array $row ): array {
		try {
			$result = Submission::submit( $row );
		} catch ( \Smtpx\Exception | Smtp_Failure $exception ) {
			return self::failed( $row, Submission::last_failure() ?? Submission::describe_failure( $exception, 'primary' ) );
		} catch ( \ValueError | \TypeError $refused ) {
			return self::failed( $row, self::refused_input( $refused ) );
		}
		Outbox::record_sent( $row, $result );
		return array(
			'status'  => Outbox::SENT,
			'result'  => $result,
			'failure' => self::refused_recipients( $result ),
		);
	}

	/**
	 * Fires the actions for an outcome (see the file comment).
	 *
	 * @param array<string, mixed> $row             The row attempted.
	 * @param array<string, mixed> $outcome         From attempt().
	 * @param bool                 $inside_wp_mail  True when wp_mail() fires its own success or failure.
	 */
	public static function announce( array $row, array $outcome, bool $inside_wp_mail ): void {
		$mail_data = is_array( $row['mail_data'] ) ? $row['mail_data'] : array();
		if ( Outbox::QUEUED === $outcome['status'] ) {
			/**
			 * A message failed transiently and will be retried.
			 *
			 * @param int   $id        The outbox row.
			 * @param array $failure   Phase, smtp_code, enhanced_status, message, hint, connection.
			 * @param array $mail_data wp_mail()'s arguments.
			 */
			do_action( 'smtpx_mail_deferred', $row['id'], $outcome['failure'], $mail_data );
			return;
		}
		if ( Outbox::HELD === $outcome['status'] ) {
			/**
			 * The message went out but no reply came: it may have been delivered, so it is
			 * held until a person resends it from the log.
			 *
			 * @param int   $id        The outbox row.
			 * @param array $failure   As for smtpx_mail_deferred.
			 * @param array $mail_data wp_mail()'s arguments.
			 */
			do_action( 'smtpx_mail_held', $row['id'], $outcome['failure'], $mail_data );
		}
		if ( $inside_wp_mail ) {
			return;
		}
		if ( null === $outcome['failure'] ) {
			do_action( 'wp_mail_succeeded', $mail_data );
			return;
		}
		$data = array_merge(
			$mail_data,
			array(
				'phpmailer_exception_code' => (int) $outcome['failure']['smtp_code'],
				'smtpx_outbox_id'          => $row['id'],
			),
			self::error_data( $outcome['failure'] )
		);
		do_action( 'wp_mail_failed', new \WP_Error( 'wp_mail_failed', self::failure_message( $outcome['failure'] ), $data ) );
	}

	/**
	 * The SMTP details added to wp_mail_failed's WP_Error data.
	 *
	 * @param array<string, mixed> $failure A failure of attempt().
	 * @return array<string, mixed>
	 */
	public static function error_data( array $failure ): array {
		return array(
			'smtp_phase'           => $failure['phase'],
			'smtp_code'            => $failure['smtp_code'],
			'smtp_enhanced_status' => $failure['enhanced_status'],
			'smtp_transient'       => $failure['transient'] ?? false,
			'smtp_outcome_unknown' => $failure['outcome_unknown'] ?? false,
			'smtp_hint'            => $failure['hint'] ?? '',
			'smtp_rejected'        => $failure['rejected'] ?? array(),
		);
	}

	/**
	 * "smtpx (auth): 535 5.7.8 ... Hint." for wp_mail_failed listeners that only read the message.
	 *
	 * @param array<string, mixed> $failure A failure of attempt().
	 */
	public static function failure_message( array $failure ): string {
		$message = sprintf( 'smtpx (%s): %s', $failure['phase'], $failure['message'] );
		return '' === (string) ( $failure['hint'] ?? '' ) ? $message : $message . ' ' . $failure['hint'];
	}

	/**
	 * The extension refused input it cannot send safely (an address or setting it
	 * cannot use, or a field the connection's JSON API cannot carry) before sending:
	 * permanent until someone changes it.
	 *
	 * @param \Error $refused The ValueError or TypeError.
	 * @return array<string, mixed> A failure.
	 */
	public static function refused_input( \Error $refused ): array {
		return array(
			'phase'           => 'input',
			'smtp_code'       => 0,
			'enhanced_status' => null,
			'transient'       => false,
			'outcome_unknown' => false,
			'message'         => $refused->getMessage(),
			'hint'            => __( 'smtpx refused the message or the connection settings before sending; the message names the field.', 'smtpx' ),
		);
	}

	/**
	 * The refused recipients of a submitted message as a failure, null when every one was accepted.
	 * As PHPMailer's own SMTP client: the others got it, but wp_mail() reports the refusal.
	 *
	 * @param array<string, mixed> $result The extension's result.
	 * @return array<string, mixed>|null
	 */
	public static function refused_recipients( array $result ): ?array {
		if ( empty( $result['rejected'] ) ) {
			return null;
		}
		$refused = array();
		foreach ( $result['rejected'] as $address => $reply ) {
			$refused[] = $address . ': ' . $reply;
		}
		return array(
			'connection'      => $result['connection'] ?? '',
			'phase'           => 'rcpt',
			'smtp_code'       => (int) substr( (string) reset( $result['rejected'] ), 0, 3 ),
			'enhanced_status' => null,
			'transient'       => false,
			'outcome_unknown' => false,
			'message'         => implode( '; ', $refused ),
			'hint'            => '',
			'rejected'        => $result['rejected'],
		);
	}

	/**
	 * Records a failed attempt with the status the retry policy gives it.
	 *
	 * @param array<string, mixed> $row     The claimed row.
	 * @param array<string, mixed> $failure What failed.
	 * @return array<string, mixed> The outcome.
	 */
	private static function failed( array $row, array $failure ): array {
		$status = Retry_Policy::status_after( $failure, $row );
		$next   = Outbox::QUEUED === $status ? Retry_Policy::next_attempt_at( $row['attempts'] ) : 0;
		Outbox::record_failure( $row, $status, $failure, $next );
		return array(
			'status'  => $status,
			'result'  => null,
			'failure' => $failure,
		);
	}
}
