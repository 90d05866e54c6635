<?php
/**
 * The email log's table (Tools > Email log): one row per outbox message, views by
 * status, search by recipient, subject or Message-ID, a date filter, and the resend
 * and delete actions (Log_Page carries them out).
 *
 * Loaded by Log_Page only, once WordPress's WP_List_Table is.
 *
 * @package Smtpx
 */

namespace Smtpx\WordPress;

defined( 'ABSPATH' ) || exit;

/**
 * WP_List_Table over Outbox_Log.
 */
final class Log_Table extends \WP_List_Table {

	private const PER_PAGE = 50;

	/**
	 * The date filter's choices: days back, 0 for all.
	 */
	public const SINCE_DAYS = array( 1, 7, 30, 0 );

	/**
	 * Sets the table's names (the bulk nonce is "bulk-emails").
	 */
	public function __construct() {
		parent::__construct(
			array(
				'singular' => 'email',
				'plural'   => 'emails',
				'ajax'     => false,
			)
		);
	}

	/**
	 * The filters of this request, from the query string (only selects what to show).
	 *
	 * @return array{status: string, search: string, since_days: int}
	 */
	public static function filters(): array {
		$status = sanitize_key( wp_unslash( (string) ( $_GET['status'] ?? '' ) ) );
		$days   = (int) ( $_GET['since'] ?? 0 );
		return array(
			'status'     => in_array( $status, array( Outbox::QUEUED, Outbox::SENDING, Outbox::SENT, Outbox::FAILED, Outbox::HELD ), true ) ? $status : '',
			'search'     => sanitize_text_field( wp_unslash( (string) ( $_GET['s'] ?? '' ) ) ),
			'since_days' => in_array( $days, self::SINCE_DAYS, true ) ? $days : 0,
		);
	}

	/**
	 * Reads this page of rows.
	 */
	public function prepare_items() {
		$filters               = self::filters();
		$found                 = Outbox_Log::find(
			array(
				'status' => $filters['status'],
				'search' => $filters['search'],
				'since'  => $filters['since_days'] ? time() - $filters['since_days'] * DAY_IN_SECONDS : 0,
			),
			$this->get_pagenum(),
			self::PER_PAGE
		);
		$this->items           = $found['rows'];
		$this->_column_headers = array( $this->get_columns(), array(), array() );
		$this->set_pagination_args(
			array(
				'total_items' => $found['total'],
				'per_page'    => self::PER_PAGE,
			)
		);
	}

	/**
	 * The columns.
	 *
	 * @return array<string, string>
	 */
	public function get_columns() {
		return array(
			'cb'         => '<input type="checkbox" />',
			'subject'    => __( 'Subject', 'smtpx' ),
			'recipients' => __( 'Recipients', 'smtpx' ),
			'status'     => __( 'Status', 'smtpx' ),
			'created_at' => __( 'Date', 'smtpx' ),
			'details'    => __( 'Server reply or failure', 'smtpx' ),
		);
	}

	/**
	 * Links to each status, with counts.
	 *
	 * @return array<string, string>
	 */
	protected function get_views() {
		$counts  = Outbox_Log::count_by_status();
		$current = self::filters()['status'];
		$labels  = array(
			''             => __( 'All', 'smtpx' ),
			Outbox::QUEUED => __( 'Queued', 'smtpx' ),
			Outbox::HELD   => __( 'Held', 'smtpx' ),
			Outbox::FAILED => __( 'Failed', 'smtpx' ),
			Outbox::SENT   => __( 'Sent', 'smtpx' ),
		);
		$views   = array();
		foreach ( $labels as $status => $label ) {
			$count            = '' === $status ? array_sum( $counts ) : ( $counts[ $status ] ?? 0 );
			$views[ $status ] = sprintf(
				'<a href="%s"%s>%s <span class="count">(%s)</span></a>',
				esc_url( Log_Page::url( '' === $status ? array() : array( 'status' => $status ) ) ),
				$current === $status ? ' class="current" aria-current="page"' : '',
				esc_html( $label ),
				esc_html( number_format_i18n( $count ) )
			);
		}
		return $views;
	}

	/**
	 * The bulk actions.
	 *
	 * @return array<string, string>
	 */
	protected function get_bulk_actions() {
		return array(
			'resend' => __( 'Resend', 'smtpx' ),
			'delete' => __( 'Delete', 'smtpx' ),
		);
	}

	/**
	 * The date filter, above the table.
	 *
	 * @param string $which top or bottom.
	 */
	protected function extra_tablenav( $which ) {
		if ( 'top' !== $which ) {
			return;
		}
		$labels = array(
			1 => __( 'Last 24 hours', 'smtpx' ),
			7 => __( 'Last 7 days', 'smtpx' ),
			30 => __( 'Last 30 days', 'smtpx' ),
			0 => __( 'All dates', 'smtpx' ),
		);
		$since  = self::filters()['since_days'];
		echo '<div class="alignleft actions"><label class="screen-reader-text" for="smtpx-since">' . esc_html__( 'Filter by date', 'smtpx' ) . '</label><select name="since" id="smtpx-since">';
		foreach ( self::SINCE_DAYS as $days ) {
			echo '<option value="' . esc_attr( (string) $days ) . '"' . selected( $since, $days, false ) . '>' . esc_html( $labels[ $days ] ) . '</option>';
		}
		echo '</select>';
		submit_button( __( 'Filter', 'smtpx' ), '', 'filter_action', false );
		echo '</div>';
	}

	/**
	 * The checkbox of a row.
	 *
	 * @param array<string, mixed> $item The row.
	 */
	protected function column_cb( $item ) {
		return sprintf( '<input type="checkbox" name="email[]" value="%d" />', (int) $item['id'] );
	}

	/**
	 * The subject, with the row actions.
	 *
	 * @param array<string, mixed> $item The row.
	 */
	protected function column_subject( $item ) {
		$id      = (int) $item['id'];
		$actions = array(
			'view' => sprintf( '<a href="%s">%s</a>', esc_url( Log_Page::url( array( 'view' => $id ) ) ), esc_html__( 'View', 'smtpx' ) ),
		);
		if ( Log_Page::can_resend( $item ) ) {
			$actions['resend'] = sprintf( '<a href="%s" class="smtpx-resend">%s</a>', esc_url( Log_Page::action_url( 'resend', $id ) ), esc_html__( 'Resend', 'smtpx' ) );
		}
		if ( Outbox::SENDING !== $item['status'] ) {
			$actions['delete'] = sprintf( '<a href="%s" class="submitdelete">%s</a>', esc_url( Log_Page::action_url( 'delete', $id ) ), esc_html__( 'Delete', 'smtpx' ) );
		}
		$subject = '' === (string) $item['subject'] ? __( '(no subject)', 'smtpx' ) : (string) $item['subject'];
		return sprintf( '<strong><a href="%s">%s</a></strong>', esc_url( Log_Page::url( array( 'view' => $id ) ) ), esc_html( $subject ) ) . $this->row_actions( $actions );
	}

	/**
	 * The envelope recipients.
	 *
	 * @param array<string, mixed> $item The row.
	 */
	protected function column_recipients( $item ) {
		return esc_html( implode( ', ', (array) $item['envelope_to'] ) );
	}

	/**
	 * The status, with the attempts and, when queued, the next attempt.
	 *
	 * @param array<string, mixed> $item The row.
	 */
	protected function column_status( $item ) {
		$label = Log_Page::status_label( (string) $item['status'] );
		/* translators: %s: number of attempts. */
		$attempts = sprintf( _n( '%s attempt', '%s attempts', (int) $item['attempts'], 'smtpx' ), number_format_i18n( (int) $item['attempts'] ) );
		$html     = '<span class="smtpx-status smtpx-status-' . esc_attr( (string) $item['status'] ) . '">' . esc_html( $label ) . '</span><br />' . esc_html( $attempts );
		if ( Outbox::QUEUED === $item['status'] ) {
			/* translators: %s: time of the next attempt. */
			$html .= '<br />' . esc_html( sprintf( __( 'next at %s', 'smtpx' ), wp_date( get_option( 'time_format' ), (int) $item['next_attempt_at'] ) ) );
		}
		return $html;
	}

	/**
	 * When the message was stored.
	 *
	 * @param array<string, mixed> $item The row.
	 */
	protected function column_created_at( $item ) {
		return esc_html( wp_date( get_option( 'date_format' ) . ' ' . get_option( 'time_format' ), (int) $item['created_at'] ) );
	}

	/**
	 * The server's final reply, or the last failure with its hint.
	 *
	 * @param array<string, mixed> $item The row.
	 */
	protected function column_details( $item ) {
		if ( '' !== (string) $item['failure_message'] && Outbox::SENT !== $item['status'] ) {
			$html = '<code>' . esc_html( $item['failure_phase'] . ': ' . $item['failure_message'] ) . '</code>';
			if ( '' !== (string) $item['failure_hint'] ) {
				$html .= '<br />' . esc_html( (string) $item['failure_hint'] );
			}
			return $html;
		}
		return '<code>' . esc_html( (string) $item['final_reply'] ) . '</code>';
	}

	/**
	 * When nothing matches.
	 */
	public function no_items() {
		esc_html_e( 'No mail in the log.', 'smtpx' );
	}
}
