<?php
/**
 * When the outbox is drained. With background sending on (the setting, or the
 * constant SMTPX_QUEUE in wp-config.php, which wins), wp_mail() only stores the
 * message and the request that stored it drains the outbox after its response is
 * sent: fastcgi_finish_request() under PHP-FPM ends the response first, other SAPIs
 * drain at shutdown. Every minute the WP-Cron event smtpx_queue_run drains it too:
 * that is what retries deferred messages, with or without background sending.
 *
 * @package Smtpx
 */

namespace Smtpx\WordPress;

defined( 'ABSPATH' ) || exit;

/**
 * The after-response drain and the cron event.
 */
final class Background_Sending {

	public const CRON_HOOK = 'smtpx_queue_run';
	public const SCHEDULE  = 'smtpx_every_minute';

	/**
	 * Whether wp_mail() queues instead of sending in the request.
	 */
	public static function enabled(): bool {
		return (bool) Settings::value( 'queue' );
	}

	/**
	 * Drains the outbox once this request's response is sent (once per request).
	 */
	public static function send_after_response(): void {
		if ( ! has_action( 'shutdown', array( self::class, 'finish_response_and_drain' ) ) ) {
			add_action( 'shutdown', array( self::class, 'finish_response_and_drain' ), PHP_INT_MAX );
		}
	}

	/**
	 * The shutdown action: the visitor has the page before any mail is submitted.
	 */
	public static function finish_response_and_drain(): void {
		if ( function_exists( 'fastcgi_finish_request' ) ) {
			fastcgi_finish_request();
		}
		ignore_user_abort( true );
		Queue_Runner::run();
	}

	/**
	 * The cron_schedules filter: every minute.
	 *
	 * @param array<string, array<string, mixed>> $schedules WordPress's schedules.
	 * @return array<string, array<string, mixed>>
	 */
	public static function add_schedule( $schedules ) {
		$schedules[ self::SCHEDULE ] = array(
			'interval' => MINUTE_IN_SECONDS,
			'display'  => __( 'Every minute (smtpx outbox)', 'smtpx' ),
		);
		return $schedules;
	}

	/**
	 * Schedules smtpx_queue_run unless it is scheduled already.
	 */
	public static function schedule(): void {
		if ( false === wp_next_scheduled( self::CRON_HOOK ) ) {
			wp_schedule_event( time(), self::SCHEDULE, self::CRON_HOOK );
		}
	}

	/**
	 * Removes the event (deactivation).
	 */
	public static function unschedule(): void {
		wp_clear_scheduled_hook( self::CRON_HOOK );
	}
}
