<?php
/**
 * The outbox's rows: storing a composed message, claiming due rows under a lease,
 * and recording what a delivery attempt did.
 *
 * Statuses: queued (waiting for its next attempt), sending (claimed under a lease),
 * sent, failed (permanently, or its lifetime ended), held (the data went out and no
 * reply came: it may have been delivered, so only a person may send it again).
 *
 * No duplicates from concurrency: a row is claimed by one UPDATE of its primary key
 * that sets a random lease token only while the row is due (queued, or sending with its
 * lease expired); InnoDB locks the row, and a second drainer's UPDATE, run after the
 * first commits, finds the row no longer due and changes nothing. A result is recorded only by the lease's owner. A drainer killed
 * mid-send leaves its row "sending" until the lease expires, then the row is claimed
 * again: only a row claimed but never recorded can be sent twice.
 *
 * @package Smtpx
 */

namespace Smtpx\WordPress;

defined( 'ABSPATH' ) || exit;

/**
 * Reads and writes the outbox table.
 */
final class Outbox {

	public const QUEUED  = 'queued';
	public const SENDING = 'sending';
	public const SENT    = 'sent';
	public const FAILED  = 'failed';
	public const HELD    = 'held';

	/**
	 * Stores a composed message.
	 *
	 * @param array<string, mixed> $message envelope_from, envelope_to (string[]), mime,
	 *                                      fields (Message_Fields::of(), or null: kept only when
	 *                                      given), subject, message_id, mail_data (wp_mail()'s arguments).
	 * @param bool                 $claim   True to store it already claimed by the caller
	 *                                      (sent now), false to queue it for a drainer.
	 * @return array<string, mixed>|null The row as claim_next() returns it, null when it could not be stored.
	 */
	public static function add( array $message, bool $claim ): ?array {
		global $wpdb;
		$now   = time();
		$lease = $claim ? self::new_lease_token() : '';
		$row   = array(
			'status'           => $claim ? self::SENDING : self::QUEUED,
			'created_at'       => $now,
			'queued_at'        => $now,
			'updated_at'       => $now,
			'attempts'         => $claim ? 1 : 0,
			'next_attempt_at'  => $now,
			'lease_owner'      => $lease,
			'lease_expires_at' => $claim ? $now + self::lease_seconds() : 0,
			'envelope_from'    => $message['envelope_from'],
			'envelope_to'      => wp_json_encode( array_values( $message['envelope_to'] ), JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES ), // Searchable as typed.
			'message_id'       => mb_substr( (string) $message['message_id'], 0, 255 ),
			'subject'          => mb_substr( (string) $message['subject'], 0, 255 ),
			'mime_bytes'       => strlen( $message['mime'] ),
			'mime'             => gzdeflate( $message['mime'], 6 ),
			'mail_data'        => gzdeflate( (string) wp_json_encode( $message['mail_data'] ), 6 ),
			'final_reply'      => '',
			'failure_message'  => '',
			'failure_hint'     => '',
		);
		if ( is_array( $message['fields'] ?? null ) ) {
			$row['fields'] = Message_Fields::pack( $message['fields'] );
		}
		if ( ! $wpdb->insert( Outbox_Schema::table(), $row ) ) {
			return null;
		}
		$row['id'] = (int) $wpdb->insert_id;
		return self::unpack( $row );
	}

	/**
	 * Claims the next due row for one delivery attempt.
	 *
	 * @return array<string, mixed>|null The row, with mime, envelope_to and mail_data decoded.
	 */
	public static function claim_next(): ?array {
		global $wpdb;
		$table = Outbox_Schema::table();
		$due   = '( status = %s AND next_attempt_at <= %d ) OR ( status = %s AND lease_expires_at < %d )';
		$now   = time();
		// Candidates by a plain read, then each claimed by its primary key: a claim locks one
		// row only (an UPDATE ... ORDER BY ... LIMIT would lock every row it scans, and
		// deadlock with the drainers recording their results).
		$candidates = $wpdb->get_col(
			$wpdb->prepare( "SELECT id FROM {$table} WHERE {$due} ORDER BY next_attempt_at, id LIMIT 10", self::QUEUED, $now, self::SENDING, $now )
		);
		foreach ( $candidates as $id ) {
			$lease   = self::new_lease_token();
			$claimed = $wpdb->query(
				$wpdb->prepare(
					"UPDATE {$table} SET status = %s, lease_owner = %s, lease_expires_at = %d, attempts = attempts + 1, updated_at = %d WHERE id = %d AND ( {$due} )",
					self::SENDING,
					$lease,
					$now + self::lease_seconds(),
					$now,
					$id,
					self::QUEUED,
					$now,
					self::SENDING,
					$now
				)
			);
			if ( 1 === $claimed ) {
				return self::get( (int) $id );
			}
		}
		// Every candidate went to another drainer: look again while rows are due.
		return $candidates ? self::claim_next() : null;
	}

	/**
	 * Records a delivery.
	 *
	 * @param array<string, mixed> $row    The claimed row.
	 * @param array<string, mixed> $result The extension's result.
	 * @return bool False when the lease was lost (another drainer claimed the row since).
	 */
	public static function record_sent( array $row, array $result ): bool {
		$columns = array(
			'status'      => self::SENT,
			'sent_at'     => time(),
			'connection'  => (string) ( $result['connection'] ?? '' ),
			'final_reply' => (string) ( $result['reply'] ?? '' ),
			'message_id'  => mb_substr( (string) ( $result['message_id'] ?? $row['message_id'] ), 0, 255 ),
		);
		// Delivered: the body in wp_mail()'s arguments is a second copy of the message's, kept
		// only for actions still to fire; the log keeps the message.
		if ( is_array( $row['mail_data'] ) ) {
			unset( $row['mail_data']['message'] );
			$columns['mail_data'] = gzdeflate( (string) wp_json_encode( $row['mail_data'] ), 6 );
		}
		list( $kept, $removed ) = Stored_Attachments::for_log( $row['mime'] );
		if ( $removed ) {
			$columns['mime']                = gzdeflate( $kept, 6 );
			$columns['attachments_removed'] = $removed;
			$columns['fields']              = null; // Never resent: the message lost the same bytes.
		}
		return self::record( $row, $columns );
	}

	/**
	 * Records a failed attempt.
	 *
	 * @param array<string, mixed> $row             The claimed row.
	 * @param string               $status          QUEUED (a retry at $next_attempt_at), FAILED or HELD.
	 * @param array<string, mixed> $failure         From Submission::describe_failure().
	 * @param int                  $next_attempt_at When a queued row is due again.
	 * @return bool False when the lease was lost.
	 */
	public static function record_failure( array $row, string $status, array $failure, int $next_attempt_at = 0 ): bool {
		return self::record(
			$row,
			array(
				'status'          => $status,
				'next_attempt_at' => $next_attempt_at,
				'connection'      => (string) ( $failure['connection'] ?? '' ),
				'failure_phase'   => (string) $failure['phase'],
				'failure_code'    => (int) $failure['smtp_code'],
				'failure_status'  => (string) $failure['enhanced_status'],
				'failure_message' => (string) $failure['message'],
				'failure_hint'    => (string) ( $failure['hint'] ?? '' ),
			)
		);
	}

	/**
	 * Puts a row back in the queue, due now, its attempts and lifetime counted afresh (resend).
	 *
	 * @param int $id The row.
	 * @return bool False when the row is being sent, lost attachments (Stored_Attachments) or does not exist.
	 */
	public static function requeue( int $id ): bool {
		global $wpdb;
		$table = Outbox_Schema::table();
		$now   = time();
		return 1 === $wpdb->query(
			$wpdb->prepare(
				"UPDATE {$table} SET status = %s, next_attempt_at = %d, attempts = 0, queued_at = %d, updated_at = %d, lease_owner = '' WHERE id = %d AND status <> %s AND attachments_removed = 0",
				self::QUEUED,
				$now,
				$now,
				$now,
				$id,
				self::SENDING
			)
		);
	}

	/**
	 * Makes every queued row due now (the account they waited for is connected again); those
	 * that waited for the login get their lifetime counted afresh, as a resend does.
	 */
	public static function make_queued_due(): void {
		global $wpdb;
		$table = Outbox_Schema::table();
		$now   = time();
		$wpdb->query( $wpdb->prepare( "UPDATE {$table} SET next_attempt_at = %d WHERE status = %s AND next_attempt_at > %d", $now, self::QUEUED, $now ) );
		$wpdb->query( $wpdb->prepare( "UPDATE {$table} SET queued_at = %d WHERE status = %s AND failure_phase = %s", $now, self::QUEUED, 'auth' ) );
	}

	/**
	 * One row, decoded.
	 *
	 * @param int $id The row.
	 * @return array<string, mixed>|null
	 */
	public static function get( int $id ): ?array {
		global $wpdb;
		$table = Outbox_Schema::table();
		$row   = $wpdb->get_row( $wpdb->prepare( "SELECT * FROM {$table} WHERE id = %d", $id ), ARRAY_A );
		return is_array( $row ) ? self::unpack( $row ) : null;
	}

	/**
	 * How long a claim lasts: longer than any one submission may take.
	 */
	public static function lease_seconds(): int {
		/**
		 * Filters how long a drainer owns a claimed row before another may claim it.
		 *
		 * @param int $seconds Default 300.
		 */
		return max( 1, (int) apply_filters( 'smtpx_queue_lease_seconds', 5 * MINUTE_IN_SECONDS ) );
	}

	/**
	 * Updates a row claimed under $row's lease and releases the lease.
	 *
	 * @param array<string, mixed> $row    The claimed row.
	 * @param array<string, mixed> $fields Columns to set.
	 */
	private static function record( array $row, array $fields ): bool {
		global $wpdb;
		$fields['lease_owner']      = '';
		$fields['lease_expires_at'] = 0;
		$fields['updated_at']       = time();
		$updated                    = $wpdb->update(
			Outbox_Schema::table(),
			$fields,
			array(
				'id'          => $row['id'],
				'lease_owner' => $row['lease_owner'],
				'status'      => self::SENDING,
			)
		);
		return 1 === $updated;
	}

	/**
	 * A row as stored, with the compressed and encoded columns decoded.
	 *
	 * @param array<string, mixed> $row As read or inserted.
	 * @return array<string, mixed>
	 */
	private static function unpack( array $row ): array {
		$row['id']                  = (int) $row['id'];
		$row['attempts']            = (int) $row['attempts'];
		$row['created_at']          = (int) $row['created_at'];
		$row['queued_at']           = (int) $row['queued_at'];
		$row['attachments_removed'] = (int) ( $row['attachments_removed'] ?? 0 );
		$row['mime']                = (string) gzinflate( (string) $row['mime'] );
		$row['envelope_to']         = json_decode( (string) $row['envelope_to'], true );
		$row['mail_data']           = json_decode( (string) gzinflate( (string) $row['mail_data'] ), true );
		$row['fields']              = isset( $row['fields'] ) && is_string( $row['fields'] ) ? Message_Fields::unpack( $row['fields'] ) : null;
		return $row;
	}

	/**
	 * A token no other claim has.
	 */
	private static function new_lease_token(): string {
		return bin2hex( random_bytes( 16 ) );
	}
}
