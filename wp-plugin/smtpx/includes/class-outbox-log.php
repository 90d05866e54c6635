<?php
/**
 * The outbox read as the email log: finding rows by status, date, recipient or
 * subject, counting them, deleting them, the daily prune after the retention period,
 * and the queue's state for the admin page and Site Health.
 *
 * @package Smtpx
 */

namespace Smtpx\WordPress;

defined( 'ABSPATH' ) || exit;

/**
 * Queries of the log screen.
 */
final class Outbox_Log {

	public const PRUNE_HOOK = 'smtpx_log_prune';

	/**
	 * Longer than the first retries take (1 + 2 + 4 + 8 minutes): the outbox is not moving.
	 */
	private const STUCK_AFTER = 20 * MINUTE_IN_SECONDS;

	/**
	 * The columns a list needs: not the message itself.
	 */
	private const LIST_COLUMNS = 'id, status, created_at, sent_at, attempts, next_attempt_at, envelope_from, envelope_to, message_id, subject, mime_bytes, attachments_removed, connection, final_reply, failure_phase, failure_code, failure_status, failure_message, failure_hint';

	/**
	 * Rows matching the filters, newest first.
	 *
	 * @param array<string, mixed> $filters  status, search (recipient, subject or Message-ID), since (Unix time).
	 * @param int                  $page     1-based.
	 * @param int                  $per_page Rows per page.
	 * @return array{rows: array<int, array<string, mixed>>, total: int}
	 */
	public static function find( array $filters, int $page, int $per_page ): array {
		global $wpdb;
		$table = Outbox_Schema::table();
		$where = self::where( $filters );
		$total = (int) $wpdb->get_var( "SELECT COUNT(*) FROM {$table} WHERE {$where}" );
		$rows  = $wpdb->get_results(
			$wpdb->prepare( 'SELECT ' . self::LIST_COLUMNS . " FROM {$table} WHERE {$where} ORDER BY id DESC LIMIT %d OFFSET %d", $per_page, max( 0, $page - 1 ) * $per_page ),
			ARRAY_A
		);
		foreach ( $rows as &$row ) {
			$row['envelope_to'] = json_decode( (string) $row['envelope_to'], true );
		}
		return array(
			'rows'  => $rows,
			'total' => $total,
		);
	}

	/**
	 * How many rows have each status.
	 *
	 * @return array<string, int>
	 */
	public static function count_by_status(): array {
		global $wpdb;
		$table  = Outbox_Schema::table();
		$counts = array();
		foreach ( $wpdb->get_results( "SELECT status, COUNT(*) AS n FROM {$table} GROUP BY status", ARRAY_A ) as $row ) {
			$counts[ $row['status'] ] = (int) $row['n'];
		}
		return $counts;
	}

	/**
	 * The queue now: waiting (queued), held, the oldest waiting, the next retry, and
	 * whether it is stuck (the oldest waiting longer than the first retries take).
	 *
	 * @return array{waiting: int, held: int, oldest: int, next_attempt: int, stuck: bool} Times are Unix seconds, 0 when none.
	 */
	public static function queue_state(): array {
		global $wpdb;
		$table = Outbox_Schema::table();
		$state = $wpdb->get_row(
			$wpdb->prepare( "SELECT COUNT(*) AS waiting, MIN(queued_at) AS oldest, MIN(next_attempt_at) AS next_attempt FROM {$table} WHERE status IN (%s, %s)", Outbox::QUEUED, Outbox::SENDING ),
			ARRAY_A
		);
		$waiting = (int) ( $state['waiting'] ?? 0 );
		$oldest  = (int) ( $state['oldest'] ?? 0 );
		return array(
			'waiting'      => $waiting,
			'held'         => (int) $wpdb->get_var( $wpdb->prepare( "SELECT COUNT(*) FROM {$table} WHERE status = %s", Outbox::HELD ) ),
			'oldest'       => $oldest,
			'next_attempt' => (int) ( $state['next_attempt'] ?? 0 ),
			'stuck'        => $waiting > 0 && $oldest < time() - self::STUCK_AFTER,
		);
	}

	/**
	 * Deletes rows, except those being sent.
	 *
	 * @param int[] $ids Row ids.
	 * @return int How many were deleted.
	 */
	public static function delete( array $ids ): int {
		global $wpdb;
		$ids = array_values( array_filter( array_map( 'intval', $ids ) ) );
		if ( ! $ids ) {
			return 0;
		}
		$table        = Outbox_Schema::table();
		$placeholders = implode( ', ', array_fill( 0, count( $ids ), '%d' ) );
		return (int) $wpdb->query( $wpdb->prepare( "DELETE FROM {$table} WHERE id IN ({$placeholders}) AND status <> %s", array_merge( $ids, array( Outbox::SENDING ) ) ) );
	}

	/**
	 * The daily event: deletes finished rows (sent, failed) older than the retention
	 * period. Queued and held mail is never pruned: it still needs someone.
	 *
	 * @return int How many were deleted.
	 */
	public static function prune(): int {
		global $wpdb;
		$table = Outbox_Schema::table();
		/**
		 * Filters how many days sent and failed messages stay in the log.
		 *
		 * @param int $days Default 30.
		 */
		$days = max( 1, (int) apply_filters( 'smtpx_log_retention_days', 30 ) );
		return (int) $wpdb->query(
			$wpdb->prepare( "DELETE FROM {$table} WHERE status IN (%s, %s) AND created_at < %d", Outbox::SENT, Outbox::FAILED, time() - $days * DAY_IN_SECONDS )
		);
	}

	/**
	 * Schedules the daily prune unless it is scheduled already.
	 */
	public static function schedule_prune(): void {
		if ( false === wp_next_scheduled( self::PRUNE_HOOK ) ) {
			wp_schedule_event( time() + HOUR_IN_SECONDS, 'daily', self::PRUNE_HOOK );
		}
	}

	/**
	 * The WHERE clause of the filters, every value escaped by prepare().
	 *
	 * @param array<string, mixed> $filters As for find().
	 */
	private static function where( array $filters ): string {
		global $wpdb;
		$where = array( '1=1' );
		if ( ! empty( $filters['status'] ) ) {
			$where[] = $wpdb->prepare( 'status = %s', (string) $filters['status'] );
		}
		if ( ! empty( $filters['since'] ) ) {
			$where[] = $wpdb->prepare( 'created_at >= %d', (int) $filters['since'] );
		}
		if ( '' !== (string) ( $filters['search'] ?? '' ) ) {
			$like    = '%' . $wpdb->esc_like( (string) $filters['search'] ) . '%';
			$where[] = $wpdb->prepare( '( subject LIKE %s OR envelope_to LIKE %s OR message_id LIKE %s )', $like, $like, $like );
		}
		return implode( ' AND ', $where );
	}
}
