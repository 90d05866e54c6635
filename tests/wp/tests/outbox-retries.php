<?php
/**
 * The outbox with background sending off: every wp_mail() is stored, sent in the
 * request and logged; a provider that is down defers the mail (wp_mail() returns
 * true, smtpx_mail_deferred fires) with backoff, and once the provider is back on its port the
 * smtpx_queue_run event delivers every deferred mail exactly once and fires
 * wp_mail_succeeded; permanent failures are not retried; an unknown outcome is held.
 */

namespace SmtpxTest;

use Smtpx\WordPress\Outbox;
use Smtpx\WordPress\Retry_Policy;

require __DIR__ . '/../lib/bootstrap.php';

outbox_clear();
$events = array();
foreach ( array( 'smtpx_mail_deferred', 'smtpx_mail_held', 'wp_mail_succeeded', 'wp_mail_failed' ) as $hook ) {
	add_action(
		$hook,
		static function ( ...$args ) use ( $hook, &$events ) {
			$events[] = array( $hook, $args );
		},
		10,
		3
	);
}
$fired = static function ( string $hook ) use ( &$events ): array {
	return array_values(
		array_filter(
			$events,
			static function ( $event ) use ( $hook ) {
				return $event[0] === $hook;
			}
		)
	);
};

// Sent at once: the row is the log entry.
use_connection( postfix_submission() );
$marker = marker( 'logged' );
is( wp_mail( 'reader@example.com', 'Logged ✓', 'body', array( "X-Smtpx-Test: $marker" ) ), true, 'sent: wp_mail() returns true' );
$copy = delivered( $marker )[0] ?? '';
$row  = outbox_rows()[0] ?? array();
is( $row['status'] ?? null, 'sent', 'sent: the row says sent' );
is( $row['attempts'] ?? null, 1, 'sent: one attempt' );
is( $row['envelope_to'] ?? null, array( 'reader@example.com' ), 'sent: the envelope recipients' );
is( $row['envelope_from'] ?? null, 'wordpress@smtpx.test', 'sent: the envelope sender' );
is( $row['subject'] ?? null, 'Logged ✓', 'sent: the subject, for search' );
is( $row['message_id'] ?? null, header_value( $copy, 'Message-ID' ), 'sent: the Message-ID of the delivered mail' );
ok( str_starts_with( (string) ( $row['final_reply'] ?? '' ), '250 ' ), 'sent: the server\'s final reply', (string) ( $row['final_reply'] ?? '' ) );
is( $row['connection'] ?? null, 'primary', 'sent: through the primary connection' );
ok( str_contains( (string) ( $row['mime'] ?? '' ), "X-Smtpx-Test: $marker" ), 'sent: the composed message is kept' );
is( $row['mail_data']['subject'] ?? null, 'Logged ✓', 'sent: wp_mail()\'s arguments are kept' );
ok( ! isset( $row['mail_data']['message'] ), 'sent: without their copy of the body (the message has it)' );
global $wpdb;
$stored = (int) $wpdb->get_var( $wpdb->prepare( 'SELECT LENGTH(mime) FROM ' . \Smtpx\WordPress\Outbox_Schema::table() . ' WHERE id = %d', $row['id'] ?? 0 ) );
ok( $stored > 0 && $stored < strlen( (string) ( $row['mime'] ?? '' ) ), "sent: stored compressed ($stored of " . strlen( (string) ( $row['mime'] ?? '' ) ) . ' bytes)' );
is( count( $fired( 'smtpx_mail_deferred' ) ), 0, 'sent: nothing deferred' );
outbox_clear();

// The provider is down (nothing listens on its port: refused): 100 mails are deferred, none lost.
$events    = array();
$down_port = free_port();
use_connection( plain_connection( $down_port ) );
$marker  = marker( 'outage' );
$results = array();
for ( $i = 1; $i <= 100; $i++ ) {
	$results[] = wp_mail( "reader-$i@example.com", "Outage mail $i", 'body', array( "X-Smtpx-Test: $marker" ) );
}
is( array_unique( $results ), array( true ), 'provider down: 100 wp_mail() calls return true' );
is( count( $fired( 'smtpx_mail_deferred' ) ), 100, 'provider down: smtpx_mail_deferred fires for each' );
is( count( $fired( 'wp_mail_succeeded' ) ) + count( $fired( 'wp_mail_failed' ) ), 0, 'provider down: neither wp_mail_succeeded nor wp_mail_failed fires' );
$deferred = $fired( 'smtpx_mail_deferred' )[0][1] ?? array();
is( $deferred[1]['phase'] ?? null, 'connect', 'provider down: the deferral says which phase failed' );
is( $deferred[2]['subject'] ?? null, 'Outage mail 1', 'provider down: the deferral carries wp_mail()\'s arguments' );
$rows = outbox_rows();
is( array_count_values( array_column( $rows, 'status' ) ), array( 'queued' => 100 ), 'provider down: 100 rows queued' );
$last = end( $rows );
$wait = (int) ( $last['next_attempt_at'] ?? 0 ) - time();
ok( $wait > 50 && $wait <= 60, "provider down: the first retry is a minute away ($wait s)" );
is( $rows[0]['failure_phase'] ?? null, 'connect', 'provider down: the row records the failed phase' );
ok( '' !== (string) ( $rows[0]['failure_message'] ?? '' ), 'provider down: and the failure' );

// Still down at the next run: the run stops at the first message that reaches no server,
// and its backoff doubles.
outbox_make_due();
do_action( 'smtpx_queue_run' );
$retried = outbox_rows( 'attempts = 2' );
is( count( $retried ), 1, 'still down: the run stops after the first message reaches no server' );
$wait = (int) ( $retried[0]['next_attempt_at'] ?? 0 ) - time();
ok( $wait > 110 && $wait <= 120, "still down: the second retry is two minutes away ($wait s)" );
is( count( outbox_rows( "status <> 'queued'" ) ), 0, 'still down: every row still queued' );
$delays = array();
foreach ( array( 1, 2, 3, 7, 8, 30 ) as $attempts ) {
	$delays[] = Retry_Policy::next_attempt_at( $attempts ) - time();
}
is( $delays, array( 60, 120, 240, 3600, 3600, 3600 ), 'backoff: 1, 2, 4 ... minutes, at most an hour' );

// The provider is back on its port (a relay there to Postfix's 10025): the run delivers every one exactly once.
$events = array();
start_relay( 10025, 0, $down_port );
outbox_make_due();
$pool = function_exists( 'smtpx_pool_stats' ) ? smtpx_pool_stats() : null;
do_action( 'smtpx_queue_run' );
if ( null !== $pool ) {
	$after = smtpx_pool_stats();
	ok( $after['opened'] - $pool['opened'] <= 1 && $after['reused'] - $pool['reused'] >= 99, sprintf( 'provider back: one pooled connection for the run (%d opened, %d reused)', $after['opened'] - $pool['opened'], $after['reused'] - $pool['reused'] ) );
} else {
	skip( 'provider back: one pooled connection', 'no smtpx pool here (the tests\' shim, or the PHPMailer path)' );
}
$copies = delivered( $marker, 100, 30 );
is( count( $copies ), 100, 'provider back: 100 delivered' );
$subjects = array_map(
	static function ( $raw ) {
		return header_value( $raw, 'Subject' );
	},
	$copies
);
is( count( array_unique( $subjects ) ), 100, 'provider back: each exactly once' );
is( array_count_values( array_column( outbox_rows(), 'status' ) ), array( 'sent' => 100 ), 'provider back: every row sent' );
is( count( $fired( 'wp_mail_succeeded' ) ), 100, 'provider back: wp_mail_succeeded fires on delivery' );
is( $fired( 'wp_mail_succeeded' )[0][1][0]['subject'] ?? null, 'Outage mail 1', 'provider back: with wp_mail()\'s arguments' );
is( delivered( $marker, 101, 2 ), $copies, 'provider back: nothing more arrives' );
outbox_clear();

// A permanent failure (a refused login) is not retried.
$events = array();
use_connection( postfix_submission( 'not-the-password' ) );
is( wp_mail( 'reader@example.com', 'Permanent', 'body' ), false, 'permanent: wp_mail() returns false' );
$row = outbox_rows()[0] ?? array();
is( $row['status'] ?? null, 'failed', 'permanent: the row says failed' );
is( array( $row['failure_phase'] ?? null, $row['failure_code'] ?? null, $row['failure_status'] ?? null ), array( 'auth', '535', '5.7.8' ), 'permanent: phase, code and enhanced status recorded' );
if ( phpmailer_path() ) {
	skip( 'permanent: and the hint', 'hints come from the extension (Smtp_Failure::getHint())' );
} else {
	ok( str_contains( (string) ( $row['failure_hint'] ?? '' ), 'user name and password' ), 'permanent: and the hint' );
}
do_action( 'smtpx_queue_run' );
is( Outbox::get( (int) ( $row['id'] ?? 0 ) )['attempts'] ?? null, 1, 'permanent: the next run does not retry it' );
is( count( $fired( 'wp_mail_failed' ) ), 1, 'permanent: wp_mail_failed fires once' );
outbox_clear();

// A transient failure after the lifetime fails for good, and the drainer says so.
$events = array();
use_connection( plain_connection( 9 ) );
wp_mail( 'reader@example.com', 'Too late', 'body' );
$wpdb->query( 'UPDATE ' . \Smtpx\WordPress\Outbox_Schema::table() . ' SET next_attempt_at = 0, queued_at = ' . ( time() - 3 * DAY_IN_SECONDS - 1 ) );
do_action( 'smtpx_queue_run' );
is( outbox_rows()[0]['status'] ?? null, 'failed', 'lifetime: a message older than three days fails' );
$failed = $fired( 'wp_mail_failed' )[0][1][0] ?? null;
ok( $failed instanceof \WP_Error, 'lifetime: the drainer fires wp_mail_failed' );
$data = $failed ? $failed->get_error_data( 'wp_mail_failed' ) : array();
is( array( $data['subject'] ?? null, $data['smtp_phase'] ?? null, $data['smtp_transient'] ?? null ), array( 'Too late', 'connect', true ), 'lifetime: with wp_mail()\'s arguments and the SMTP details' );
outbox_clear();

// The data went out and no reply came: held, never retried automatically.
$events = array();
use_connection( plain_connection( start_sink( array( '-q', '.' ) ) ) );
$marker = marker( 'held' );
is( wp_mail( 'reader@example.com', 'Maybe delivered', 'body', array( "X-Smtpx-Test: $marker" ) ), false, 'outcome unknown: wp_mail() returns false' );
$row = outbox_rows()[0] ?? array();
is( $row['status'] ?? null, 'held', 'outcome unknown: the row is held' );
is( count( $fired( 'smtpx_mail_held' ) ), 1, 'outcome unknown: smtpx_mail_held fires' );
outbox_make_due();
do_action( 'smtpx_queue_run' );
is( Outbox::get( (int) ( $row['id'] ?? 0 ) )['attempts'] ?? null, 1, 'outcome unknown: the next run does not retry it' );
$wpdb->query( 'UPDATE ' . \Smtpx\WordPress\Outbox_Schema::table() . ' SET lease_expires_at = 0' );
do_action( 'smtpx_queue_run' );
is( Outbox::get( (int) ( $row['id'] ?? 0 ) )['status'] ?? null, 'held', 'outcome unknown: still held later' );
// A person resends it.
use_connection( postfix_submission() );
ok( Outbox::requeue( (int) ( $row['id'] ?? 0 ) ), 'outcome unknown: resend puts it back in the queue' );
do_action( 'smtpx_queue_run' );
is( count( delivered( $marker ) ), 1, 'outcome unknown: resent and delivered' );
is( Outbox::get( (int) ( $row['id'] ?? 0 ) )['status'] ?? null, 'sent', 'outcome unknown: the row says sent' );
outbox_clear();
