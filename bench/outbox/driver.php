<?php
/**
 * bench/run's outbox scenarios that run in one PHP process on the benchmark's WordPress
 * (tests/wp/lib/start-site), loaded as the WordPress suite loads it (tests/wp/lib/bootstrap.php).
 * Each prints one JSON line.
 *
 *   driver.php settings PORT      stores the plugin's primary connection (plain SMTP to
 *                                 127.0.0.1:PORT) for the site's PHP-FPM requests
 *   driver.php statuses           counts the outbox's rows by status ({"sent": N, ...}), then
 *                                 empties the outbox
 *   driver.php commit COUNT       the anchor of wp_mail()'s latency: COUNT durable one-row
 *                                 INSERTs (autocommit, as the outbox stores a message) into a
 *                                 scratch table, each timed: {times_ms}
 *   driver.php drain PORT COUNT   queues COUNT messages with wp_mail() (background sending on),
 *                                 then times one run of the queue runner delivering them to PORT:
 *                                 {sent, seconds, cpu, queue_seconds, opened, reused}
 *   driver.php log-size PORT COUNT  sends COUNT order emails of about 20 KB of HTML
 *                                 (tests/wp/lib/order-email.php) with wp_mail() to PORT, the
 *                                 outbox logging each, then reads the table's size from
 *                                 information_schema: {rows, html_bytes, mime_bytes, data_length,
 *                                 index_length, seconds}
 *
 * The drain's messages are the contenders' 2 KB text (bench/contenders/common.php), so its
 * rate and smtpx's warm sends in bench/run move the same bytes.
 */

namespace SmtpxTest;

use Smtpx\WordPress\Outbox_Schema;
use Smtpx\WordPress\Queue_Runner;

list( , $command, $port ) = $argv + array( '', '', '0' );
$count = (int) ( $argv[3] ?? 0 );
if ( 'drain' === $command ) {
	define( 'SMTPX_QUEUE', true );
}
require dirname( __DIR__, 2 ) . '/tests/wp/lib/bootstrap.php';
require dirname( __DIR__, 2 ) . '/tests/wp/lib/order-email.php';
require dirname( __DIR__ ) . '/contenders/common.php';

global $wpdb;
$table      = Outbox_Schema::table();
$connection = plain_connection( (int) $port );

if ( 'settings' === $command ) {
	update_option( \Smtpx\WordPress\Settings::OPTION, array( 'primary' => $connection ) );
	outbox_clear();
	echo wp_json_encode( array( 'stored' => $connection ) ), "\n";
	exit;
}

$statuses = static function () use ( $wpdb, $table ): array {
	return array_map( 'intval', array_column( $wpdb->get_results( "SELECT status, COUNT(*) AS n FROM $table GROUP BY status", ARRAY_A ), 'n', 'status' ) );
};
if ( 'statuses' === $command ) {
	echo wp_json_encode( (object) $statuses() ), "\n";
	outbox_clear();
	exit;
}

if ( 'commit' === $command ) {
	$scratch = $wpdb->prefix . 'smtpx_bench_commit';
	$wpdb->query( "CREATE TABLE IF NOT EXISTS $scratch ( id BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY, payload BLOB NOT NULL ) ENGINE=InnoDB" );
	$payload = gzdeflate( bench_text() );
	$times   = array();
	for ( $i = 0; $i < (int) $argv[2]; $i++ ) {
		$started = hrtime( true );
		$wpdb->insert( $scratch, array( 'payload' => $payload ) );
		$times[] = ( hrtime( true ) - $started ) / 1e6;
	}
	$wpdb->query( "DROP TABLE $scratch" );
	echo wp_json_encode( array( 'times_ms' => $times ) ), "\n";
	exit;
}

use_connection( $connection );
outbox_clear();

if ( 'drain' === $command ) {
	$started = hrtime( true );
	for ( $i = 1; $i <= $count; $i++ ) {
		wp_mail( BENCH_TO, "drain $i", bench_text() );
	}
	$queued = ( hrtime( true ) - $started ) / 1e9;
	// One run delivers them all: the budget that sends a worker back to its pool is for web requests.
	add_filter( 'smtpx_queue_budget', static fn() => 600.0 );
	$pool    = smtpx_pool_stats();
	$cpu     = bench_cpu_seconds();
	$started = hrtime( true );
	Queue_Runner::run();
	$seconds = ( hrtime( true ) - $started ) / 1e9;
	$cpu     = bench_cpu_seconds() - $cpu;
	$after   = smtpx_pool_stats();
	$rows    = $statuses();
	outbox_clear();
	echo wp_json_encode(
		array(
			'sent'          => $rows['sent'] ?? 0,
			'statuses'      => $rows,
			'seconds'       => $seconds,
			'cpu'           => $cpu,
			'queue_seconds' => $queued,
			'opened'        => $after['opened'] - $pool['opened'],
			'reused'        => $after['reused'] - $pool['reused'],
		)
	), "\n";
	exit;
}

if ( 'log-size' === $command ) {
	$html    = 0;
	$started = hrtime( true );
	for ( $n = 1; $n <= $count; $n++ ) {
		$body  = order_email( $n );
		$html += strlen( $body );
		wp_mail( "customer-$n@example.com", sprintf( 'Your order #%d is complete', 100000 + $n ), $body, array( 'Content-Type: text/html; charset=UTF-8' ) );
	}
	$seconds = ( hrtime( true ) - $started ) / 1e9;
	// information_schema's sizes are InnoDB's statistics: ANALYZE brings them up to date.
	$wpdb->query( "ANALYZE TABLE $table" );
	$size = $wpdb->get_row( $wpdb->prepare( 'SELECT DATA_LENGTH, INDEX_LENGTH FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = %s', $table ), ARRAY_A );
	$rows = $statuses();
	echo wp_json_encode(
		array(
			'rows'         => array_sum( $rows ),
			'statuses'     => $rows,
			'html_bytes'   => $html,
			'mime_bytes'   => (int) $wpdb->get_var( "SELECT SUM(mime_bytes) FROM $table" ),
			'data_length'  => (int) $size['DATA_LENGTH'],
			'index_length' => (int) $size['INDEX_LENGTH'],
			'seconds'      => $seconds,
		)
	), "\n";
	outbox_clear();
	exit;
}

fwrite( STDERR, "driver.php: unknown command \"$command\": settings PORT, drain PORT COUNT or log-size PORT COUNT\n" );
exit( 2 );
