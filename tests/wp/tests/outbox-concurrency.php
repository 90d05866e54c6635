<?php
/**
 * Many drainers at once never send one message twice: three processes draining the
 * same outbox deliver each message exactly once; 20 drainers killed with SIGKILL in the
 * middle of a batch lose nothing, and send a message twice at most once per kill
 * (only a row claimed but never recorded is sent again when its lease expires).
 *
 * Child mode (php outbox-concurrency.php drain): drains to Postfix's port 10025, 20 ms
 * slower per message than loopback, and prints how many rows it attempted.
 */

namespace SmtpxTest;

use Smtpx\WordPress\Outbox;
use Smtpx\WordPress\Queue_Runner;

require __DIR__ . '/../lib/bootstrap.php';

if ( 'drain' === ( $argv[1] ?? '' ) ) {
	use_connection( plain_connection( 10025 ) );
	// 20 ms more per message, as a provider farther away would take: the drainers overlap
	// longer, and a kill lands between a claim and its record more often.
	add_filter(
		'smtpx_transport',
		static function ( $transport ) {
			usleep( 20000 );
			return $transport;
		}
	);
	echo Queue_Runner::run(), "\n";
	exit;
}

/** Queues $count messages tagged $marker, subjects "$marker N". */
function queue( string $marker, int $count ): void {
	$from = 'wordpress@smtpx.test';
	for ( $i = 1; $i <= $count; $i++ ) {
		$mime = "From: $from\r\nTo: reader@example.com\r\nSubject: $marker $i\r\nMessage-ID: <$marker.$i@smtpx.test>\r\nX-Smtpx-Test: $marker\r\n\r\nbody $i\r\n";
		Outbox::add(
			array(
				'envelope_from' => $from,
				'envelope_to'   => array( 'reader@example.com' ),
				'mime'          => $mime,
				'subject'       => "$marker $i",
				'message_id'    => "<$marker.$i@smtpx.test>",
				'mail_data'     => array( 'subject' => "$marker $i" ),
			),
			false
		);
	}
}

/** Starts a child drainer. */
function start_drainer() {
	$command = array_merge( array( PHP_BINARY ), php_args(), array( __FILE__, 'drain' ) );
	$process = proc_open( $command, array( 1 => array( 'pipe', 'w' ), 2 => array( 'pipe', 'w' ) ), $pipes );
	return array( $process, $pipes );
}

/**
 * How many copies of each subject "$marker N" arrived, waiting up to 30 s for $count
 * different subjects (counting files would stop early when a duplicate arrives before the
 * last message does), then a second more for copies still in Postfix's queue.
 */
function copies_per_subject( string $marker, int $count ): array {
	$deadline = microtime( true ) + 30;
	$settled  = false;
	while ( true ) {
		$copies = array();
		foreach ( delivered( $marker, 0, 0 ) as $raw ) {
			$subject            = (string) header_value( $raw, 'Subject' );
			$copies[ $subject ] = ( $copies[ $subject ] ?? 0 ) + 1;
		}
		if ( $settled || ( count( $copies ) < $count && microtime( true ) >= $deadline ) ) {
			return $copies;
		}
		$settled = count( $copies ) >= $count;
		usleep( $settled ? 1000000 : 250000 );
	}
}

outbox_clear();

// Three drainers at once.
$marker = marker( 'three-drainers' );
queue( $marker, 150 );
$drainers = array( start_drainer(), start_drainer(), start_drainer() );
$counts   = array();
foreach ( $drainers as list( $process, $pipes ) ) {
	$counts[] = (int) stream_get_contents( $pipes[1] );
	$errors   = stream_get_contents( $pipes[2] );
	proc_close( $process );
	if ( '' !== trim( $errors ) ) {
		echo preg_replace( '/^/m', '# ', trim( $errors ) ), "\n";
	}
}
is( array_sum( $counts ), 150, 'three drainers: 150 attempts between them (' . implode( ' + ', $counts ) . ')' );
ok( count( array_filter( $counts ) ) >= 2, 'three drainers: they really ran at once (more than one got rows)' );
$copies = copies_per_subject( $marker, 150 );
is( count( $copies ), 150, 'three drainers: every message delivered' );
is( array_unique( array_values( $copies ) ), array( 1 ), 'three drainers: none twice' );
is( array_count_values( array_column( outbox_rows(), 'status' ) ), array( 'sent' => 150 ), 'three drainers: every row sent' );
outbox_clear();

// Drainers killed mid-batch.
$marker = marker( 'killed' );
queue( $marker, 100 ); // Enough that each of the 20 drainers killed finds a batch to be killed in.
$kills = 0;
$tried = static function () use ( $wpdb ): int {
	return (int) $wpdb->get_var( 'SELECT COUNT(*) FROM ' . \Smtpx\WordPress\Outbox_Schema::table() . ' WHERE attempts > 0' );
};
for ( $round = 0; $round < 20 && count( outbox_rows( "status = 'queued'" ) ) > 0; $round++ ) {
	$before                  = $tried();
	list( $process, $pipes ) = start_drainer();
	// Killed once it has claimed a row (mid-batch), at a random point of the next sends.
	for ( $wait = 0; $wait < 500 && $tried() === $before && proc_get_status( $process )['running']; $wait++ ) {
		usleep( 10000 );
	}
	usleep( random_int( 0, 60000 ) );
	if ( proc_get_status( $process )['running'] ) {
		proc_terminate( $process, 9 );
		++$kills;
	}
	proc_close( $process );
}
$claimed = count( outbox_rows( "status = 'sending'" ) );
is( $kills, 20, "killed: 20 drainers killed mid-batch ($claimed rows left claimed)" );
// The killed drainers' leases expire; the next drainer sends what they left.
$wpdb->query( 'UPDATE ' . \Smtpx\WordPress\Outbox_Schema::table() . " SET lease_expires_at = 0 WHERE status = 'sending'" );
use_connection( plain_connection( 10025 ) );
Queue_Runner::run();
is( array_count_values( array_column( outbox_rows(), 'status' ) ), array( 'sent' => 100 ), 'killed: every row ends sent' );
$copies     = copies_per_subject( $marker, 100 );
$duplicates = array_sum( $copies ) - count( $copies );
is( count( $copies ), 100, 'killed: nothing lost' );
ok( $duplicates <= $kills, "killed: at most one duplicate per kill ($duplicates duplicates, $kills kills)" );
outbox_clear();
