<?php
/**
 * A provider whose firewall drops every packet (tests/peers/netns-start: WordPress in a
 * client network namespace, smtp-sink on 587, 2525 and 465 of a server namespace,
 * iptables dropping all three): with background sending, 100 wp_mail() calls return true
 * at once; the drainer's first attempt times out and is deferred, and the drainer stops
 * (the rest would wait the same timeouts), nothing lost; once the
 * firewall lets the packets through, one run delivers all 100, each exactly once.
 *
 * Child mode, inside the client namespace:
 *   php outbox-netns.php queue SERVER MARKER   queue 100 mails, then drain for 3 s at shutdown
 *   php outbox-netns.php drain SERVER          run smtpx_queue_run, print how many rows are sent
 */

namespace SmtpxTest;

if ( in_array( $argv[1] ?? '', array( 'queue', 'drain' ), true ) ) {
	define( 'SMTPX_QUEUE', true );
	require __DIR__ . '/../lib/bootstrap.php';
	$server = $argv[2];
	use_connection(
		array(
			'preset' => 'other',
			'host'   => $server,
			'ports'  => '587, 2525, 465/none',
			'auth'   => 'none',
			'tls'    => 'none',
		)
	);
	add_filter(
		'smtpx_transport',
		static function ( $transport ) {
			return is_array( $transport ) ? $transport + array( 'timeout' => 2 ) : $transport;
		}
	);
	if ( 'drain' === $argv[1] ) {
		do_action( 'smtpx_queue_run' ); // What WP-Cron runs.
		echo count( outbox_rows( "status = 'sent'" ) ), "\n";
		exit;
	}
	add_filter( 'smtpx_queue_budget', static fn() => 3.0 );
	$started = microtime( true );
	$results = array();
	for ( $i = 1; $i <= 100; $i++ ) {
		$results[] = wp_mail( "reader-$i@example.com", "Dropped $i", 'body', array( "X-Smtpx-Test: {$argv[3]}" ) );
	}
	echo json_encode(
		array(
			'results' => array_unique( $results ),
			'seconds' => microtime( true ) - $started,
		)
	), "\n";
	exit; // The shutdown drain runs now, against the dropped ports.
}

require __DIR__ . '/../lib/bootstrap.php';

// Namespaces need root, ip and iptables, and a container that allows them.
$probe = 'sxprobe' . bin2hex( random_bytes( 3 ) );
exec( "/usr/sbin/ip netns add $probe 2>&1", $output, $status );
if ( 0 === $status ) {
	exec( "/usr/sbin/ip netns exec $probe /usr/sbin/iptables -S INPUT 2>&1", $output, $status );
	exec( "/usr/sbin/ip netns del $probe" );
}
if ( 0 !== $status || 0 !== posix_geteuid() ) {
	echo 'ok 1 - dropped packets # SKIP network namespaces are not available here: ' . implode( ' ', $output ) . "\n";
	exit;
}

$peers = dirname( __DIR__, 2 ) . '/peers';
$name  = 'sxwp' . bin2hex( random_bytes( 2 ) );
$octet = random_int( 1, 254 );
register_shutdown_function(
	static function () use ( $peers, $name ) {
		exec( escapeshellarg( "$peers/netns-stop" ) . ' ' . escapeshellarg( $name ) );
	}
);
exec( escapeshellarg( "$peers/netns-start" ) . " $name $octet sink 2>&1", $output, $status );
if ( ! ok( 0 === $status, 'the namespaces start', implode( "\n", $output ) ) ) {
	exit;
}
$server = "10.231.$octet.2";
$block  = static function ( string $what ) use ( $peers, $name ) {
	foreach ( array( 587, 2525, 465 ) as $port ) {
		exec( escapeshellarg( "$peers/netns-block" ) . " $name $port $what" );
	}
};
$in_client = static function ( array $args ) use ( $name ): array {
	$command = array_merge( array( '/usr/sbin/ip', 'netns', 'exec', "$name-c", PHP_BINARY ), php_args(), array( __FILE__ ), $args );
	exec( implode( ' ', array_map( 'escapeshellarg', $command ) ) . ' 2>&1', $lines, $status );
	return array( $status, implode( "\n", $lines ) );
};

outbox_clear();
$marker = marker( 'dropped' );
$block( 'drop' );
$started            = microtime( true );
[ $status, $output ] = $in_client( array( 'queue', $server, $marker ) );
$queued             = json_decode( strtok( $output, "\n" ), true );
is( $queued['results'] ?? null, array( true ), 'dropped: 100 wp_mail() calls return true', $output );
ok( ( $queued['seconds'] ?? 99 ) < 5, sprintf( 'dropped: and return at once (%.2f s for 100)', $queued['seconds'] ?? 0 ) );
ok( microtime( true ) - $started < 30, 'dropped: the shutdown drain stays within its budget' );
$tried = outbox_rows( 'attempts > 0' );
is( count( $tried ), 1, 'dropped: the drainer stops after one message reaches no server' );
is( array( $tried[0]['status'] ?? null, $tried[0]['failure_phase'] ?? null ), array( 'queued', 'connect' ), 'dropped: a timeout before the data is deferred' );
is( array_count_values( array_column( outbox_rows(), 'status' ) ), array( 'queued' => 100 ), 'dropped: all 100 still queued' );

// The firewall lets the packets through again.
$block( 'open' );
outbox_make_due();
[ $status, $output ] = $in_client( array( 'drain', $server ) );
is( trim( $output ), '100', 'back: one run of smtpx_queue_run sends all 100' );
is( array_count_values( array_column( outbox_rows(), 'status' ) ), array( 'sent' => 100 ), 'back: all 100 sent' );
// smtp-sink -v logs every command: one RCPT TO per message (each to its own reader-N).
$log = '';
foreach ( array( 587, 2525, 465 ) as $port ) {
	$log .= (string) file_get_contents( peers_dir() . "/netns/$name/sink-$port.log" );
}
preg_match_all( '/RCPT TO:<(reader-\d+@example\.com)>/', $log, $rcpt );
is( count( array_unique( $rcpt[1] ) ), 100, 'back: the server received all 100' );
is( count( $rcpt[1] ), 100, 'back: each exactly once' );
if ( phpmailer_path() ) {
	skip( 'back: over one connection', 'PHPMailer\'s SMTP client connects once a message: the pool is the extension\'s' );
} else {
	is( substr_count( $log, ': connect (' ), 1, 'back: over one connection' );
}
outbox_clear();
