<?php
/**
 * A drainer: claims due outbox rows one at a time and delivers them until none is
 * due, its time budget is spent (so a PHP-FPM worker returns to its pool), or no
 * server could be reached (the provider is down: the rest waits for the next run). Every
 * message of a run goes over the extension's pooled connection, so a burst costs one
 * connection, not one per message. Any number of drainers may run at once (the
 * after-response hooks of several workers, WP-Cron, several web nodes): Outbox's
 * leases give each row to one of them.
 *
 * @package Smtpx
 */

namespace Smtpx\WordPress;

defined( 'ABSPATH' ) || exit;

/**
 * Drains the outbox.
 */
final class Queue_Runner {

	/**
	 * Delivers due messages within the time budget.
	 *
	 * @return int How many rows were attempted.
	 */
	public static function run(): int {
		if ( ! Settings::routes_mail() || Settings::do_not_send() ) {
			return 0; // Queued mail waits for a connection; it is never dropped.
		}
		$deadline  = microtime( true ) + self::budget_seconds();
		$attempted = 0;
		while ( microtime( true ) < $deadline ) {
			$row = Outbox::claim_next();
			if ( null === $row ) {
				break;
			}
			$outcome = Delivery::attempt( $row );
			Delivery::announce( $row, $outcome, false );
			++$attempted;
			if ( Outbox::QUEUED === $outcome['status'] && 'connect' === $outcome['failure']['phase'] ) {
				break; // No connection reached a server: the next messages would only wait the same timeouts.
			}
		}
		return $attempted;
	}

	/**
	 * How long one run may claim new rows.
	 */
	private static function budget_seconds(): float {
		/**
		 * Filters how long one run of the queue may start new deliveries.
		 *
		 * @param float $seconds Default 20: well inside PHP's usual 30 s limit.
		 */
		return (float) apply_filters( 'smtpx_queue_budget', 20.0 );
	}
}
