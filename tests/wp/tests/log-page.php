<?php
/**
 * Tools > Email log: the list with its status views, search and date filter; one
 * message in detail (header, text, HTML in a sandboxed frame with its scripts inert,
 * attachment names and sizes); resend and delete with a nonce and the capability;
 * the daily prune keeps queued and held mail.
 */

namespace SmtpxTest;

use Smtpx\WordPress\Log_Page;
use Smtpx\WordPress\Outbox;
use Smtpx\WordPress\Outbox_Log;

require __DIR__ . '/../lib/bootstrap.php';
require __DIR__ . '/../lib/cases.php';
require_once ABSPATH . 'wp-admin/includes/admin.php';

/** What a redirect or wp_die() would have ended the request with. */
final class Ended extends \Exception {}
add_filter(
	'wp_redirect',
	static function ( $location ) {
		throw new Ended( 'redirect ' . $location );
	}
);
add_filter(
	'wp_die_handler',
	static function () {
		return static function ( $message ) {
			throw new Ended( 'die ' . ( is_string( $message ) ? $message : '' ) );
		};
	}
);

/** The page's output for a query string. */
function page( array $query ): string {
	$_GET     = $query;
	$_REQUEST = $query;
	ob_start();
	Log_Page::render();
	return (string) ob_get_clean();
}

/** Runs an action as the load hook does; returns how the request ended. */
function act( array $query ): string {
	$_GET     = $query;
	$_REQUEST = $query;
	try {
		Log_Page::handle_action();
	} catch ( Ended $ended ) {
		return $ended->getMessage();
	}
	return 'nothing';
}

outbox_clear();
wp_set_current_user( 1 );
set_current_screen( 'tools_page_smtpx-log' );

use_connection( postfix_submission() );
$marker = marker( 'log' );
$file   = attachment( 'log-report.csv', str_repeat( "a,b\n", 300 ) );
wp_mail( 'reader@example.com', 'Log: sent with HTML', '<p>Hello <b>reader</b></p><script>alert("x")</script>', array( 'Content-Type: text/html', "X-Smtpx-Test: $marker" ), array( $file ) );
use_connection( postfix_submission( 'not-the-password' ) );
wp_mail( 'refused@example.com', 'Log: refused login', 'body' );
use_connection( plain_connection( start_sink( array( '-q', '.' ) ) ) );
wp_mail( 'maybe@example.com', 'Log: no reply', "plain text body\n" );
$ids = array_column( outbox_rows(), 'id', 'subject' );

$list = page( array( 'page' => 'smtpx-log' ) );
foreach ( array( 'Log: sent with HTML', 'Log: refused login', 'Log: no reply' ) as $subject ) {
	ok( str_contains( $list, esc_html( $subject ) ), "list: shows \"$subject\"" );
}
ok( (bool) preg_match( '/Held <span class="count">\(1\)/', $list ), 'list: the Held view counts one' );
ok( str_contains( $list, 'smtpx-queue-state' ) && str_contains( $list, 'may have been delivered' ), 'list: says a message is held and why' );
ok( str_contains( $list, 'Check the user name and password' ) || str_contains( $list, 'user name and password' ), 'list: a failure shows its hint' );
$held = page(
	array(
		'page'   => 'smtpx-log',
		'status' => 'held',
	)
);
ok( str_contains( $held, 'Log: no reply' ) && ! str_contains( $held, 'Log: refused login' ), 'status view: only held mail' );
$found = page(
	array(
		'page' => 'smtpx-log',
		's'    => 'refused@',
	)
);
ok( str_contains( $found, 'Log: refused login' ) && ! str_contains( $found, 'Log: no reply' ), 'search: by recipient' );
global $wpdb;
$wpdb->query( $wpdb->prepare( 'UPDATE ' . \Smtpx\WordPress\Outbox_Schema::table() . ' SET created_at = created_at - 3 * 86400 WHERE id = %d', $ids['Log: refused login'] ) );
$recent = page(
	array(
		'page'  => 'smtpx-log',
		'since' => '1',
	)
);
ok( ! str_contains( $recent, 'Log: refused login' ) && str_contains( $recent, 'Log: no reply' ), 'date filter: the last 24 hours' );

$view = page(
	array(
		'page' => 'smtpx-log',
		'view' => (string) $ids['Log: sent with HTML'],
	)
);
ok( str_contains( $view, '<th scope="row">Subject</th><td>Log: sent with HTML</td>' ), 'view: the header fields' );
ok( (bool) preg_match( '/<iframe class="smtpx-html" sandbox=""[^>]*srcdoc="[^"]*&lt;b&gt;reader&lt;\/b&gt;/', $view ), 'view: the HTML in a sandboxed frame (no allow-scripts)' );
ok( ! str_contains( $view, '<script>alert' ), 'view: the message\'s script never reaches the admin page' );
ok( str_contains( $view, 'srcdoc="&lt;meta http-equiv=&quot;Content-Security-Policy&quot; content=&quot;default-src &#039;none&#039;' ), 'view: and the frame loads nothing from elsewhere (Content-Security-Policy)' );
ok( (bool) preg_match( '/log-report\.csv \(text\/csv, 1(\.\d)? KB\)/', $view ), 'view: the attachment\'s name, type and size', implode( "\n", preg_grep( '/log-report/', explode( "\n", $view ) ) ) );
ok( str_contains( page( array( 'page' => 'smtpx-log', 'view' => (string) $ids['Log: no reply'] ) ), 'plain text body' ), 'view: the text part' );

// Resend: the nonce and the capability guard it.
$resend = array(
	'page'     => 'smtpx-log',
	'action'   => 'resend',
	'id'       => (string) $ids['Log: no reply'],
	'_wpnonce' => 'forged',
);
ok( str_starts_with( act( $resend ), 'die' ), 'resend: a forged nonce is refused' );
is( Outbox::get( $ids['Log: no reply'] )['status'], 'held', 'resend: and changes nothing' );
$resend['_wpnonce'] = wp_create_nonce( 'smtpx_log_resend_' . $ids['Log: no reply'] );
wp_set_current_user( 0 );
ok( str_starts_with( act( $resend ), 'die' ), 'resend: refused without the capability' );
wp_set_current_user( 1 );
$resend['_wpnonce'] = wp_create_nonce( 'smtpx_log_resend_' . $ids['Log: no reply'] );
ok( str_contains( act( $resend ), 'done=resend&count=1' ), 'resend: done, and back to the list' );
is( Outbox::get( $ids['Log: no reply'] )['status'], 'queued', 'resend: the message is queued again' );
ok( false !== has_action( 'shutdown', array( \Smtpx\WordPress\Background_Sending::class, 'finish_response_and_drain' ) ), 'resend: sent after the response' );

// Bulk delete.
$deleted = act(
	array(
		'page'     => 'smtpx-log',
		'action'   => 'delete',
		'email'    => array( (string) $ids['Log: refused login'], (string) $ids['Log: sent with HTML'] ),
		'_wpnonce' => wp_create_nonce( 'bulk-emails' ),
	)
);
ok( str_contains( $deleted, 'done=delete&count=2' ), 'bulk delete: two deleted' );
is( array_column( outbox_rows(), 'subject' ), array( 'Log: no reply' ), 'bulk delete: the other stays' );

// The daily prune: finished mail older than 30 days goes, queued and held mail stays.
outbox_clear();
use_connection( postfix_submission() );
wp_mail( 'reader@example.com', 'Old sent', 'body' );
use_connection( plain_connection( 9 ) );
wp_mail( 'reader@example.com', 'Old queued', 'body' );
wp_mail( 'reader@example.com', 'New queued', 'body' );
$wpdb->query( 'UPDATE ' . \Smtpx\WordPress\Outbox_Schema::table() . " SET created_at = created_at - 31 * 86400 WHERE subject LIKE 'Old %'" );
is( Outbox_Log::prune(), 1, 'prune: one row deleted' );
is( array_column( outbox_rows(), 'subject' ), array( 'Old queued', 'New queued' ), 'prune: queued mail is kept' );
ok( false !== wp_next_scheduled( Outbox_Log::PRUNE_HOOK ), 'prune: scheduled daily' );
outbox_clear();

// Personal data: the exporter lists an address's mail, the eraser deletes it but keeps unsent mail.
use_connection( postfix_submission() );
wp_mail( 'Jane.Doe@example.com', 'For Jane', 'body' );
wp_mail( 'other@example.com', 'Not for Jane', 'body' );
use_connection( plain_connection( 9 ) );
wp_mail( 'jane.doe@example.com', 'For Jane, waiting', 'body' );
$exporters = apply_filters( 'wp_privacy_personal_data_exporters', array() );
$export    = call_user_func( $exporters['smtpx-email-log']['callback'], 'jane.doe@example.com', 1 );
$subjects  = array();
foreach ( $export['data'] as $item ) {
	$subjects[] = $item['data'][1]['value'];
}
is( $subjects, array( 'For Jane', 'For Jane, waiting' ), 'privacy: the exporter lists the address\'s mail (any case)' );
$erasers = apply_filters( 'wp_privacy_personal_data_erasers', array() );
$erased  = call_user_func( $erasers['smtpx-email-log']['callback'], 'jane.doe@example.com', 1 );
is( array( $erased['items_removed'], $erased['items_retained'], $erased['done'] ), array( 1, 1, true ), 'privacy: the eraser deletes sent mail and keeps unsent mail' );
ok( str_contains( implode( ' ', $erased['messages'] ), 'still to be sent' ), 'privacy: and says why' );
is( array_column( outbox_rows(), 'subject' ), array( 'Not for Jane', 'For Jane, waiting' ), 'privacy: the other address\'s mail stays' );
outbox_clear();

// Sent mail keeps large attachments as name, size and hash only, and cannot be resent then.
$large = attachment( 'large-scan.pdf', random_bytes( 300 * 1024 ) );
$small = attachment( 'small-note.txt', "a small note\n" );
use_connection( postfix_submission() );
$marker = marker( 'large' );
wp_mail( 'reader@example.com', 'Large attachment', 'see attached', array( "X-Smtpx-Test: $marker" ), array( $large, $small ) );
$row     = outbox_rows()[0] ?? array();
$stored  = (string) ( $row['mime'] ?? '' );
$copy    = delivered( $marker )[0] ?? '';
ok( strlen( $copy ) > 400 * 1024, 'large attachment: delivered whole (' . strlen( $copy ) . ' bytes)' );
is( $row['attachments_removed'] ?? null, 1, 'large attachment: one attachment not kept' );
ok( strlen( $stored ) < 10 * 1024, 'large attachment: the log keeps ' . strlen( $stored ) . ' bytes' );
ok( str_contains( $stored, 'X-Smtpx-Removed: bytes=307200; sha256=' . hash_file( 'sha256', $large ) ), 'large attachment: its size and SHA-256 are kept' );
ok( str_contains( $stored, base64_encode( "a small note\n" ) ) && str_contains( $stored, 'see attached' ), 'large attachment: the text and the small attachment are kept' );
$view = page(
	array(
		'page' => 'smtpx-log',
		'view' => (string) ( $row['id'] ?? 0 ),
	)
);
ok( (bool) preg_match( '/large-scan\.pdf \(application\/pdf, 300 KB\) sent, not kept in the log/', $view ), 'large attachment: the view names it, its size, and that it was not kept' );
ok( str_contains( $view, 'small-note.txt (text/plain, 13 B)' ), 'large attachment: and the small one' );
ok( ! str_contains( $view, 'smtpx-resend' ), 'large attachment: no Resend' );
is( Outbox::requeue( (int) ( $row['id'] ?? 0 ) ), false, 'large attachment: it cannot be queued again' );
outbox_clear();
add_filter( 'smtpx_log_keep_attachments', '__return_true' );
wp_mail( 'reader@example.com', 'Large attachment kept', 'see attached', array(), array( $large ) );
is( outbox_rows()[0]['attachments_removed'] ?? null, 0, 'smtpx_log_keep_attachments: the owner keeps them all' );
outbox_clear();
