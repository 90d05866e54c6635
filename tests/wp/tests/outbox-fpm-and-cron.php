<?php
/**
 * Two PHP-FPM workers and WP-Cron draining the outbox at once send no message twice and
 * lose none: with background sending on and 150 messages queued, two lost-password
 * requests through nginx (each queues its mail and drains after its response, so two
 * workers drain) and wp-cron.php run by PHP's CLI (the cron line of the README, which
 * runs smtpx_queue_run) start together; every message arrives exactly once, counted in
 * the maildir by Message-ID. Mail goes to Postfix's 10025 through bench/relay.py (10 ms
 * each way), so each drain lasts seconds and the three overlap; which processes sent is
 * read from their connections to the relay (ss).
 *
 * Child mode (php outbox-fpm-and-cron.php request SITE): the lost-password form's POST.
 */

namespace SmtpxTest;

use Smtpx\WordPress\Background_Sending;
use Smtpx\WordPress\Settings;

require __DIR__ . '/../lib/lost-password.php';
if ( 'request' === ( $argv[1] ?? '' ) ) {
	echo str_contains( implode( "\n", request_password_reset( $argv[2] ) ?? array() ), 'checkemail=confirm' ) ? 'confirmed' : 'refused', "\n";
	exit;
}

require __DIR__ . '/../lib/bootstrap.php';

$relay_port = start_relay( 10025, 10 );
$saved      = get_option( Settings::OPTION, null );
register_shutdown_function(
	static function () use ( $saved ) {
		null === $saved ? delete_option( Settings::OPTION ) : update_option( Settings::OPTION, $saved );
	}
);

// The site's own settings, for PHP-FPM and the cron process: background sending through the
// relay; core's default sender, wordpress@127.0.0.1, is one Postfix refuses.
update_option(
	Settings::OPTION,
	array(
		'primary'    => plain_connection( $relay_port ),
		'queue'      => true,
		'from_email' => 'wordpress@smtpx.test',
	)
);
outbox_clear();
$marker = marker( 'fpm-and-cron' );
for ( $i = 1; $i <= 150; $i++ ) {
	wp_mail( "reader-$i@example.com", "Drained at once $i", 'body', array( "X-Smtpx-Test: $marker" ) );
}
remove_action( 'shutdown', array( Background_Sending::class, 'finish_response_and_drain' ), PHP_INT_MAX ); // This process only queues.
is( count( outbox_rows( "status = 'queued'" ) ), 150, '150 messages queued' );

// WP-Cron's event due now, its lock free, as a minute after the last run.
wp_clear_scheduled_hook( Background_Sending::CRON_HOOK );
wp_schedule_event( time() - 1, Background_Sending::SCHEDULE, Background_Sending::CRON_HOOK );
delete_transient( 'doing_cron' );

$site     = 'http://127.0.0.1:' . ( getenv( 'SMTPX_WP_PORT' ) ?: '18080' );
$children = array();
$spawn    = static function ( array $command, array $environment = array() ) use ( &$children ) {
	$process    = proc_open( $command, array( 1 => array( 'pipe', 'w' ), 2 => array( 'pipe', 'w' ) ), $pipes, null, $environment ? array_merge( getenv(), $environment ) : null );
	$children[] = array( $process, $pipes );
	return proc_get_status( $process )['pid'];
};
$started = microtime( true );
$spawn( array( PHP_BINARY, __FILE__, 'request', $site ) );
$spawn( array( PHP_BINARY, __FILE__, 'request', $site ) );
// The README's cron line: PHP's CLI runs wp-cron.php, which runs every due event.
$cron_pid = $spawn( array_merge( array( PHP_BINARY ), php_args(), array( '/usr/share/wordpress/wp-cron.php' ) ), array( 'HTTP_HOST' => wp_parse_url( $site, PHP_URL_HOST ) . ':' . wp_parse_url( $site, PHP_URL_PORT ) ) );

// Who holds a connection to the relay, until every message is sent: a drainer connects
// on its first message, and PHP-FPM's workers keep theirs open in smtpx's pool.
$senders  = array();
$at_once  = false;
$deadline = microtime( true ) + 40;
global $wpdb;
$table = \Smtpx\WordPress\Outbox_Schema::table();
do {
	usleep( 50000 );
	exec( 'ss -Htnp state established ' . escapeshellarg( "( dport = :$relay_port )" ), $lines );
	preg_match_all( '/\("([^"]+)",pid=(\d+)/', implode( "\n", $lines ), $found, PREG_SET_ORDER );
	$lines     = array();
	$connected = array();
	foreach ( $found as list( , $program, $pid ) ) {
		$connected[ (int) $pid ] = $program;
	}
	$senders += $connected;
	$waiting  = (int) $wpdb->get_var( "SELECT COUNT(*) FROM $table WHERE status IN ('queued', 'sending')" );
	// Three processes connected while messages still wait: each of them is mid-drain.
	$at_once = $at_once || ( count( $connected ) >= 3 && $waiting > 0 );
} while ( ( $waiting > 0 || count( outbox_rows() ) < 152 ) && microtime( true ) < $deadline );
$seconds = microtime( true ) - $started;
$answers = array();
foreach ( $children as list( $process, $pipes ) ) {
	$answers[] = trim( (string) stream_get_contents( $pipes[1] ) );
	$errors    = trim( (string) stream_get_contents( $pipes[2] ) );
	proc_close( $process );
	if ( '' !== $errors ) {
		echo preg_replace( '/^/m', '# ', $errors ), "\n";
	}
}
is( array_slice( $answers, 0, 2 ), array( 'confirmed', 'confirmed' ), 'both lost-password requests say the mail is on its way' );
$rows = outbox_rows();
is( array_count_values( array_column( $rows, 'status' ) ), array( 'sent' => 152 ), sprintf( 'every row sent (150 queued and the 2 requests\' own) in %.1f s', $seconds ) );
$fpm_workers = array_keys( array_filter( $senders, static fn( $program ) => str_starts_with( $program, 'php-fpm' ) ) );
is( count( $fpm_workers ), 2, 'two PHP-FPM workers drained (each over its own connection)' );
ok( isset( $senders[ $cron_pid ] ), 'the cron process drained', var_export( $senders, true ) . "\ncron: $cron_pid" );
ok( $at_once, 'all three were draining at the same moment' );
echo '# senders: ' . implode( ', ', array_map( static fn( $pid, $program ) => "$program $pid", array_keys( $senders ), $senders ) ) . "\n";

// In the maildir, by Message-ID: once all arrived, a second more for copies still in Postfix's queue.
$wanted   = array_fill_keys( array_column( $rows, 'message_id' ), 0 );
$deadline = microtime( true ) + 30;
$settled  = false;
while ( true ) {
	$copies = $wanted;
	foreach ( glob( peers_dir() . '/maildir/{new,cur}/*', GLOB_BRACE ) ?: array() as $file ) {
		$id = header_value( (string) file_get_contents( $file, false, null, 0, 16384 ), 'Message-ID' ); // The head is enough.
		if ( null !== $id && isset( $copies[ $id ] ) ) {
			++$copies[ $id ];
		}
	}
	$arrived = count( array_filter( $copies ) );
	if ( $settled || ( $arrived < count( $wanted ) && microtime( true ) >= $deadline ) ) {
		break;
	}
	$settled = $arrived === count( $wanted );
	usleep( $settled ? 1000000 : 250000 );
}
is( count( $wanted ), 152, '152 distinct Message-IDs' );
is( $arrived, 152, 'nothing lost: every Message-ID arrived' );
is( array_keys( array_filter( $copies, static fn( $n ) => $n > 1 ) ), array(), 'no duplicate: none arrived twice' );
outbox_clear();
