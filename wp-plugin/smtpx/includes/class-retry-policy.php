<?php
/**
 * What happens to a message after a failed attempt. The extension decides what a
 * failure means (Smtpx\Exception::isTransient(): 4xx, no port reachable, a timeout
 * before the data; isOutcomeUnknown(): the data went out and no reply came); this
 * class only turns that into the outbox's next step:
 *
 * - outcome unknown: held, never retried automatically (it may have been delivered);
 * - transient, within the lifetime: queued again after 1, 2, 4 ... minutes, at most an hour;
 * - the primary's OAuth grant refused (revoked, expired): queued, whatever the lifetime, until
 *   the account is connected again (Oauth_Grant); Connect makes the waiting mail due at once.
 *   Held would need a person to resend each message; failed would lose them;
 * - anything else, or a lifetime that has ended: failed.
 *
 * @package Smtpx
 */

namespace Smtpx\WordPress;

defined( 'ABSPATH' ) || exit;

/**
 * Backoff and lifetime.
 */
final class Retry_Policy {

	private const FIRST_DELAY = MINUTE_IN_SECONDS;
	private const MAX_DELAY   = HOUR_IN_SECONDS;

	/**
	 * The row's next status after a failed attempt.
	 *
	 * @param array<string, mixed> $failure From Submission::describe_failure().
	 * @param array<string, mixed> $row     The outbox row, its attempts counting this one.
	 * @return string Outbox::QUEUED, Outbox::FAILED or Outbox::HELD.
	 */
	public static function status_after( array $failure, array $row ): string {
		if ( ! empty( $failure['outcome_unknown'] ) ) {
			return Outbox::HELD;
		}
		if ( 'auth' === ( $failure['phase'] ?? '' ) && 'primary' === ( $failure['connection'] ?? '' ) && Oauth_Grant::needs_reconnect() ) {
			return Outbox::QUEUED;
		}
		if ( ! empty( $failure['transient'] ) && time() < $row['queued_at'] + self::lifetime() ) {
			return Outbox::QUEUED;
		}
		return Outbox::FAILED;
	}

	/**
	 * When a row that failed transiently is due again.
	 *
	 * @param int $attempts Attempts made so far, this one included.
	 */
	public static function next_attempt_at( int $attempts ): int {
		$delay = self::FIRST_DELAY * ( 2 ** min( max( $attempts - 1, 0 ), 12 ) );
		return time() + min( $delay, self::MAX_DELAY );
	}

	/**
	 * How long a message is retried before it fails.
	 */
	public static function lifetime(): int {
		/**
		 * Filters how long transient failures are retried, counted from when the message was queued.
		 *
		 * @param int $seconds Default three days.
		 */
		return (int) apply_filters( 'smtpx_queue_lifetime', 3 * DAY_IN_SECONDS );
	}
}
