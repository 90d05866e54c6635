<?php
/**
 * Tools > Email log: the outbox as a log (Log_Table), one message in detail (header
 * fields, text, the HTML in a sandboxed frame that runs no script, attachment names
 * and sizes), and the resend and delete actions, for one message or many. Every action
 * checks the capability and a nonce; a resent message is queued and sent after the
 * response.
 *
 * @package Smtpx
 */

namespace Smtpx\WordPress;

defined( 'ABSPATH' ) || exit;

/**
 * The log screen.
 */
final class Log_Page {

	public const SLUG       = 'smtpx-log';
	public const CAPABILITY = 'manage_options';

	/**
	 * The admin_menu action.
	 */
	public static function add_page(): void {
		$hook = add_management_page( __( 'Email log', 'smtpx' ), __( 'Email log', 'smtpx' ), self::CAPABILITY, self::SLUG, array( self::class, 'render' ) );
		if ( $hook ) {
			add_action( 'load-' . $hook, array( self::class, 'handle_action' ) );
		}
	}

	/**
	 * The page's address.
	 *
	 * @param array<string, int|string> $args Query arguments to add.
	 */
	public static function url( array $args = array() ): string {
		return add_query_arg( array_merge( array( 'page' => self::SLUG ), $args ), admin_url( 'tools.php' ) );
	}

	/**
	 * The address of an action on one message, with its nonce.
	 *
	 * @param string $action resend or delete.
	 * @param int    $id     The message.
	 */
	public static function action_url( string $action, int $id ): string {
		return wp_nonce_url(
			self::url(
				array(
					'action' => $action,
					'id'     => $id,
				)
			),
			self::nonce_action( $action, $id )
		);
	}

	/**
	 * A status for people.
	 *
	 * @param string $status An Outbox status.
	 */
	public static function status_label( string $status ): string {
		$labels = array(
			Outbox::QUEUED  => __( 'Queued', 'smtpx' ),
			Outbox::SENDING => __( 'Sending', 'smtpx' ),
			Outbox::SENT    => __( 'Sent', 'smtpx' ),
			Outbox::FAILED  => __( 'Failed', 'smtpx' ),
			Outbox::HELD    => __( 'Held: may have been delivered', 'smtpx' ),
		);
		return $labels[ $status ] ?? $status;
	}

	/**
	 * Whether a message can be sent again: not while it is being sent, and not once its
	 * large attachments are gone from the log.
	 *
	 * @param array<string, mixed> $row The outbox row.
	 */
	public static function can_resend( array $row ): bool {
		return Outbox::SENDING !== $row['status'] && 0 === (int) $row['attachments_removed'];
	}

	/**
	 * The load-tools_page_smtpx-log action: resend or delete, then back to the list.
	 */
	public static function handle_action(): void {
		self::load_table();
		$action = ( new Log_Table() )->current_action();
		if ( ! in_array( $action, array( 'resend', 'delete' ), true ) ) {
			return;
		}
		if ( ! current_user_can( self::CAPABILITY ) ) {
			wp_die( esc_html__( 'You are not allowed to change the email log.', 'smtpx' ), 403 );
		}
		if ( isset( $_GET['id'] ) ) {
			$ids = array( (int) $_GET['id'] );
			check_admin_referer( self::nonce_action( $action, $ids[0] ) );
		} else {
			check_admin_referer( 'bulk-emails' );
			$ids = array_map( 'intval', (array) wp_unslash( $_REQUEST['email'] ?? array() ) );
		}
		$done = 0;
		if ( 'delete' === $action ) {
			$done = Outbox_Log::delete( $ids );
		} else {
			foreach ( $ids as $id ) {
				$done += Outbox::requeue( $id ) ? 1 : 0;
			}
			if ( $done ) {
				Background_Sending::send_after_response();
			}
		}
		wp_safe_redirect(
			self::url(
				array(
					'done'  => $action,
					'count' => $done,
				)
			)
		);
		exit;
	}

	/**
	 * The page: one message, or the list.
	 */
	public static function render(): void {
		if ( ! current_user_can( self::CAPABILITY ) ) {
			return;
		}
		self::load_table();
		echo '<div class="wrap smtpx-log"><h1 class="wp-heading-inline">' . esc_html__( 'Email log', 'smtpx' ) . '</h1>';
		// Only selects what to show: the actions that change anything check their nonces.
		$view = isset( $_GET['view'] ) ? Outbox::get( (int) $_GET['view'] ) : null;
		if ( null !== $view ) {
			self::render_message( $view );
			echo '</div>';
			return;
		}
		self::render_done();
		self::render_queue_state();
		$table = new Log_Table();
		$table->prepare_items();
		$table->views();
		echo '<form method="get" id="smtpx-log-form"><input type="hidden" name="page" value="' . esc_attr( self::SLUG ) . '" />';
		$filters = Log_Table::filters();
		if ( '' !== $filters['status'] ) {
			echo '<input type="hidden" name="status" value="' . esc_attr( $filters['status'] ) . '" />';
		}
		$table->search_box( __( 'Search recipients, subjects, Message-IDs', 'smtpx' ), 'smtpx-log' );
		$table->display();
		echo '</form></div>';
	}

	/**
	 * The queue's state, above the list.
	 */
	public static function render_queue_state(): void {
		$state = Outbox_Log::queue_state();
		if ( ! $state['waiting'] && ! $state['held'] ) {
			return;
		}
		$parts = array();
		if ( $state['waiting'] ) {
			$parts[] = sprintf(
				/* translators: 1: number of messages, 2: how long ago the oldest was queued, 3: time of the next attempt. */
				_n( '%1$s message is waiting (queued %2$s ago); next attempt at %3$s.', '%1$s messages are waiting (the oldest queued %2$s ago); next attempt at %3$s.', $state['waiting'], 'smtpx' ),
				number_format_i18n( $state['waiting'] ),
				human_time_diff( $state['oldest'] ),
				wp_date( get_option( 'time_format' ), $state['next_attempt'] )
			);
		}
		if ( $state['held'] ) {
			/* translators: %s: number of messages. */
			$parts[] = sprintf( _n( '%s message is held: it went out but no reply came, so it may have been delivered. Resend it if it was not.', '%s messages are held: they went out but no reply came, so they may have been delivered. Resend those that were not.', $state['held'], 'smtpx' ), number_format_i18n( $state['held'] ) );
		}
		echo '<div class="notice notice-warning inline smtpx-queue-state"><p>' . esc_html( implode( ' ', $parts ) ) . '</p></div>';
	}

	/**
	 * What the last action did.
	 */
	private static function render_done(): void {
		$done  = sanitize_key( wp_unslash( (string) ( $_GET['done'] ?? '' ) ) );
		$count = (int) ( $_GET['count'] ?? 0 );
		if ( 'resend' === $done ) {
			/* translators: %s: number of messages. */
			$message = sprintf( _n( '%s message queued to be sent again.', '%s messages queued to be sent again.', $count, 'smtpx' ), number_format_i18n( $count ) );
		} elseif ( 'delete' === $done ) {
			/* translators: %s: number of messages. */
			$message = sprintf( _n( '%s message deleted.', '%s messages deleted.', $count, 'smtpx' ), number_format_i18n( $count ) );
		} else {
			return;
		}
		echo '<div class="notice notice-success is-dismissible smtpx-log-done"><p>' . esc_html( $message ) . '</p></div>';
	}

	/**
	 * One message in detail.
	 *
	 * @param array<string, mixed> $row The outbox row.
	 */
	private static function render_message( array $row ): void {
		$view = Message_View::parse( (string) $row['mime'] );
		echo '<a class="page-title-action" href="' . esc_url( self::url() ) . '">' . esc_html__( 'Back to the log', 'smtpx' ) . '</a>';
		if ( self::can_resend( $row ) ) {
			echo ' <a class="page-title-action smtpx-resend" href="' . esc_url( self::action_url( 'resend', (int) $row['id'] ) ) . '">' . esc_html__( 'Resend', 'smtpx' ) . '</a>';
		}
		echo '<hr class="wp-header-end" /><table class="widefat striped smtpx-message"><tbody>';
		$facts = array(
			__( 'Status', 'smtpx' )          => self::status_label( (string) $row['status'] ),
			__( 'Attempts', 'smtpx' )        => number_format_i18n( (int) $row['attempts'] ),
			__( 'Envelope sender', 'smtpx' ) => (string) $row['envelope_from'],
			__( 'Recipients', 'smtpx' )      => implode( ', ', (array) $row['envelope_to'] ),
			__( 'Server reply', 'smtpx' )    => (string) $row['final_reply'],
			__( 'Last failure', 'smtpx' )    => '' === (string) $row['failure_message'] ? '' : trim( sprintf( '%s: %s %s', $row['failure_phase'], $row['failure_message'], $row['failure_hint'] ) ),
			__( 'Size', 'smtpx' )            => size_format( (int) $row['mime_bytes'] ),
		);
		foreach ( $facts as $label => $value ) {
			if ( '' !== $value ) {
				echo '<tr><th scope="row">' . esc_html( $label ) . '</th><td>' . esc_html( $value ) . '</td></tr>';
			}
		}
		echo '</tbody></table>';

		echo '<h2>' . esc_html__( 'Header', 'smtpx' ) . '</h2><table class="widefat striped smtpx-headers"><tbody>';
		foreach ( $view['headers'] as list( $name, $value ) ) {
			echo '<tr><th scope="row">' . esc_html( $name ) . '</th><td>' . esc_html( $value ) . '</td></tr>';
		}
		echo '</tbody></table>';
		if ( '' !== $view['html'] ) {
			// An empty sandbox: no script, no form, no plugin, another origin; the HTML cannot
			// reach the admin. The policy also keeps it from loading anything (tracking pixels).
			$policy = '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; img-src data:; style-src \'unsafe-inline\'">';
			echo '<h2>' . esc_html__( 'HTML', 'smtpx' ) . '</h2><iframe class="smtpx-html" sandbox="" referrerpolicy="no-referrer" style="width:100%;height:480px;background:#fff;border:1px solid #c3c4c7" srcdoc="' . esc_attr( $policy . $view['html'] ) . '"></iframe>';
		}
		if ( '' !== $view['text'] ) {
			echo '<h2>' . esc_html__( 'Text', 'smtpx' ) . '</h2><pre class="smtpx-text" style="white-space:pre-wrap;background:#fff;padding:1em;border:1px solid #c3c4c7">' . esc_html( $view['text'] ) . '</pre>';
		}
		if ( $view['attachments'] ) {
			echo '<h2>' . esc_html__( 'Attachments', 'smtpx' ) . '</h2><ul class="smtpx-attachments">';
			foreach ( $view['attachments'] as $attachment ) {
				$line = sprintf( '%s (%s, %s)', $attachment['name'], $attachment['type'], size_format( $attachment['bytes'] ) );
				if ( $attachment['removed'] ) {
					$line .= ' ' . __( 'sent, not kept in the log (its size and SHA-256 are)', 'smtpx' );
				}
				echo '<li>' . esc_html( $line ) . '</li>';
			}
			echo '</ul>';
		}
	}

	/**
	 * WordPress's list table and ours.
	 */
	private static function load_table(): void {
		require_once ABSPATH . 'wp-admin/includes/class-wp-list-table.php';
		require_once __DIR__ . '/class-log-table.php';
	}

	/**
	 * The nonce action of one message's action.
	 *
	 * @param string $action resend or delete.
	 * @param int    $id     The message.
	 */
	private static function nonce_action( string $action, int $id ): string {
		return 'smtpx_log_' . $action . '_' . $id;
	}
}
