<?php
/**
 * Background sending (SMTPX_QUEUE): wp_mail() stores the message and returns true at
 * once; the request drains the outbox after its response (PHP-FPM: a real WordPress
 * request against a server that takes three seconds to answer returns long before the
 * mail is accepted); wp_mail_succeeded fires when the mail is delivered; the WP-Cron
 * event smtpx_queue_run runs every minute, and the cron line of the README delivers.
 */

namespace SmtpxTest;

use Smtpx\WordPress\Background_Sending;
use Smtpx\WordPress\Settings;

define( 'SMTPX_QUEUE', true );
require __DIR__ . '/../lib/bootstrap.php';
require __DIR__ . '/../lib/lost-password.php';

outbox_clear();
$succeeded = array();
add_action(
	'wp_mail_succeeded',
	static function ( $data ) use ( &$succeeded ) {
		$succeeded[] = $data;
	}
);

// In this process: queued, then sent by the after-response drain.
use_connection( postfix_submission() );
$marker  = marker( 'background' );
$started = microtime( true );
is( wp_mail( 'reader@example.com', 'Background mail', 'body', array( "X-Smtpx-Test: $marker" ) ), true, 'queued: wp_mail() returns true' );
$seconds = microtime( true ) - $started;
is( outbox_rows()[0]['status'] ?? null, 'queued', 'queued: the row waits in the outbox' );
is( $succeeded, array(), 'queued: wp_mail_succeeded does not fire yet' );
is( delivered( $marker, 1, 1 ), array(), 'queued: nothing is sent in the request' );
ok( false !== has_action( 'shutdown', array( Background_Sending::class, 'finish_response_and_drain' ) ), 'queued: the outbox is drained at shutdown' );
Background_Sending::finish_response_and_drain();
is( count( delivered( $marker ) ), 1, 'after the response: delivered' );
is( outbox_rows()[0]['status'] ?? null, 'sent', 'after the response: the row says sent' );
is( count( $succeeded ), 1, 'after the response: wp_mail_succeeded fires once' );
is( $succeeded[0]['subject'] ?? null, 'Background mail', 'after the response: with wp_mail()\'s arguments' );
printf( "# queued: wp_mail() took %.1f ms\n", $seconds * 1000 );
outbox_clear();

// The constant wins over the settings page, which shows the field locked.
use_connection( postfix_submission(), array(), array( 'queue' => false ) );
ok( Background_Sending::enabled(), 'SMTPX_QUEUE: wins over the setting' );
ob_start();
\Smtpx\WordPress\Settings_Page::render_global_field(
	array(
		'field'     => 'queue',
		'label_for' => 'smtpx_queue',
	)
);
$field = ob_get_clean();
ok( str_contains( $field, 'disabled' ) && str_contains( $field, 'Locked: set in wp-config.php.' ), 'SMTPX_QUEUE: the settings page shows the field locked', $field );

// WP-Cron: every minute.
$next = wp_next_scheduled( Background_Sending::CRON_HOOK );
ok( false !== $next, 'cron: smtpx_queue_run is scheduled' );
is( wp_get_schedules()[ wp_get_schedule( Background_Sending::CRON_HOOK ) ]['interval'] ?? null, 60, 'cron: every minute' );

// The site's own settings in the database, for PHP-FPM (restored at the end).
$saved = get_option( Settings::OPTION, null );
register_shutdown_function(
	static function () use ( $saved ) {
		remove_all_filters( 'pre_option_' . Settings::OPTION );
		null === $saved ? delete_option( Settings::OPTION ) : update_option( Settings::OPTION, $saved );
	}
);
$store = static function ( array $settings ) {
	remove_all_filters( 'pre_option_' . Settings::OPTION );
	update_option( Settings::OPTION, $settings );
};

// The README's cron line for DISABLE_WP_CRON sites (this site has it) delivers queued mail.
$marker = marker( 'cron-line' );
$store( array( 'primary' => plain_connection( 10025 ) ) );
use_connection( plain_connection( 10025 ) );
wp_mail( 'reader@example.com', 'Sent by the cron line', 'body', array( "X-Smtpx-Test: $marker" ) );
wp_unschedule_event( (int) $next, Background_Sending::CRON_HOOK );
wp_schedule_event( time() - 1, Background_Sending::SCHEDULE, Background_Sending::CRON_HOOK );
delete_transient( 'doing_cron' );
$site = 'http://127.0.0.1:' . ( getenv( 'SMTPX_WP_PORT' ) ?: '18080' );
[ $status, $output ] = run_php( array( '-r', 'echo file_get_contents($argv[1]) === false ? "failed" : "fetched";', "$site/wp-cron.php?doing_wp_cron" ), array() );
is( $output, 'fetched', 'cron line: wp-cron.php answers' );
is( count( delivered( $marker ) ), 1, 'cron line: the queued mail is delivered' );
outbox_clear();

// A real request under PHP-FPM: the lost-password form mails the admin. The server takes
// three seconds to answer the data; the visitor does not wait for it.
$store(
	array(
		'primary' => plain_connection( start_sink( array( '-w', '3' ) ) ),
		'queue'   => true,
	)
);
$started = microtime( true );
$headers = request_password_reset( $site );
$seconds = microtime( true ) - $started;
ok( str_contains( implode( "\n", $headers ?? array() ), 'checkemail=confirm' ), 'PHP-FPM: the lost-password form says the mail is on its way', implode( "\n", $headers ?? array() ) );
ok( $seconds < 2.5, sprintf( 'PHP-FPM: the response comes before the server has answered (%.2f s)', $seconds ) );
$row      = null;
$deadline = microtime( true ) + 15;
do {
	usleep( 250000 );
	$row = outbox_rows()[0] ?? null;
} while ( 'sent' !== ( $row['status'] ?? null ) && microtime( true ) < $deadline );
is( $row['status'] ?? null, 'sent', 'PHP-FPM: sent after the response' );
ok( str_contains( (string) ( $row['subject'] ?? '' ), 'Password Reset' ), 'PHP-FPM: the password reset mail', (string) ( $row['subject'] ?? '' ) );
ok( (int) ( $row['sent_at'] ?? 0 ) - $started >= 2, 'PHP-FPM: accepted seconds after the response' );
outbox_clear();
