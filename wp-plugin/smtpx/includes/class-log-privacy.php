<?php
/**
 * The email log holds personal data (who was mailed, about what): WordPress's
 * personal data exporter lists the messages to or from an address, and its eraser
 * deletes them, except mail still waiting to be sent or being sent, which is retained
 * (and said so) rather than lost.
 *
 * @package Smtpx
 */

namespace Smtpx\WordPress;

defined( 'ABSPATH' ) || exit;

/**
 * The privacy exporter and eraser.
 */
final class Log_Privacy {

	private const PAGE_SIZE = 100;

	/**
	 * The wp_privacy_personal_data_exporters filter.
	 *
	 * @param array<string, mixed> $exporters Registered exporters.
	 * @return array<string, mixed>
	 */
	public static function register_exporter( $exporters ) {
		$exporters['smtpx-email-log'] = array(
			'exporter_friendly_name' => __( 'Email log (smtpx)', 'smtpx' ),
			'callback'               => array( self::class, 'export' ),
		);
		return $exporters;
	}

	/**
	 * The wp_privacy_personal_data_erasers filter.
	 *
	 * @param array<string, mixed> $erasers Registered erasers.
	 * @return array<string, mixed>
	 */
	public static function register_eraser( $erasers ) {
		$erasers['smtpx-email-log'] = array(
			'eraser_friendly_name' => __( 'Email log (smtpx)', 'smtpx' ),
			'callback'             => array( self::class, 'erase' ),
		);
		return $erasers;
	}

	/**
	 * One page of the messages to or from an address.
	 *
	 * @param string $email The address.
	 * @param int    $page  1-based.
	 * @return array{data: array<int, array<string, mixed>>, done: bool}
	 */
	public static function export( $email, $page = 1 ) {
		$data = array();
		$rows = self::rows( (string) $email, ( max( 1, (int) $page ) - 1 ) * self::PAGE_SIZE );
		foreach ( $rows as $row ) {
			$data[] = array(
				'group_id'    => 'smtpx-email-log',
				'group_label' => __( 'Email log', 'smtpx' ),
				'item_id'     => 'smtpx-email-' . $row['id'],
				'data'        => array(
					array(
						'name'  => __( 'Date', 'smtpx' ),
						'value' => wp_date( 'Y-m-d H:i:s', (int) $row['created_at'] ),
					),
					array(
						'name'  => __( 'Subject', 'smtpx' ),
						'value' => $row['subject'],
					),
					array(
						'name'  => __( 'From', 'smtpx' ),
						'value' => $row['envelope_from'],
					),
					array(
						'name'  => __( 'Recipients', 'smtpx' ),
						'value' => implode( ', ', (array) json_decode( (string) $row['envelope_to'], true ) ),
					),
					array(
						'name'  => __( 'Status', 'smtpx' ),
						'value' => Log_Page::status_label( (string) $row['status'] ),
					),
				),
			);
		}
		return array(
			'data' => $data,
			'done' => count( $rows ) < self::PAGE_SIZE,
		);
	}

	/**
	 * Deletes the messages to or from an address, one page at a time.
	 *
	 * @param string $email The address.
	 * @param int    $page  1-based; deleted rows leave the query, so each page starts at the top.
	 * @return array{items_removed: int, items_retained: int, messages: string[], done: bool}
	 */
	public static function erase( $email, $page = 1 ) {
		$rows     = self::rows( (string) $email, 0, array( Outbox::SENT, Outbox::FAILED, Outbox::HELD ) );
		$removed  = Outbox_Log::delete( array_column( $rows, 'id' ) );
		$waiting  = count( self::rows( (string) $email, 0, array( Outbox::QUEUED, Outbox::SENDING ) ) );
		$messages = array();
		if ( $waiting ) {
			/* translators: %s: number of messages. */
			$messages[] = sprintf( _n( '%s message to this address is still to be sent and was kept; erase again once it is sent.', '%s messages to this address are still to be sent and were kept; erase again once they are sent.', $waiting, 'smtpx' ), number_format_i18n( $waiting ) );
		}
		return array(
			'items_removed'  => $removed,
			'items_retained' => $waiting,
			'messages'       => $messages,
			'done'           => count( $rows ) < self::PAGE_SIZE,
		);
	}

	/**
	 * Rows to or from an address (envelope_to holds JSON strings: "address").
	 *
	 * @param string   $email    The address.
	 * @param int      $offset   Rows to skip.
	 * @param string[] $statuses Only rows with these statuses; all when empty.
	 * @return array<int, array<string, mixed>>
	 */
	private static function rows( string $email, int $offset, array $statuses = array() ): array {
		global $wpdb;
		$email = strtolower( trim( $email ) );
		if ( '' === $email ) {
			return array();
		}
		$table  = Outbox_Schema::table();
		$status = $statuses ? $wpdb->prepare( ' AND status IN (' . implode( ', ', array_fill( 0, count( $statuses ), '%s' ) ) . ')', $statuses ) : '';
		return $wpdb->get_results(
			$wpdb->prepare(
				"SELECT id, created_at, subject, envelope_from, envelope_to, status FROM {$table} WHERE ( LOWER(envelope_to) LIKE %s OR LOWER(envelope_from) = %s ){$status} ORDER BY id LIMIT %d OFFSET %d",
				'%' . $wpdb->esc_like( '"' . $email . '"' ) . '%',
				$email,
				self::PAGE_SIZE,
				$offset
			),
			ARRAY_A
		);
	}
}
