<?php
/**
 * The compatibility suite: each case of lib/cases.php is delivered once by core's
 * own mail path (plugin not loaded, PHPMailer's SMTP client, an aiosmtpd capture
 * server) and through the plugin (smtpx, the harness's Postfix) twice: with the
 * extension, and in a process without it (PHPMailer's SMTP client). Every delivery
 * must equal core's after normalising volatile headers (Date, Message-ID, X-Mailer,
 * boundaries, transport headers), with the same envelope recipients.
 */

namespace SmtpxTest;

require __DIR__ . '/../lib/bootstrap.php';
require __DIR__ . '/../lib/cases.php';

$capture = start_capture();
$run     = marker( 'compat' );
[ $status, $output ] = run_php( array( dirname( __DIR__ ) . '/lib/send-with-core.php', (string) $capture['port'], "$run-core" ) );
ok( 0 === $status && ! str_contains( $output, 'failed' ), 'core sent every case to the capture server', $output );

use_connection( postfix_submission() );
foreach ( cases() as $name => $case ) {
	ok( send_case( $case, "$run-smtpx-$name" ), "$name: sent through the plugin" );
}
[ $status, $output ] = run_php( array( dirname( __DIR__ ) . '/lib/send-without-extension.php', "$run-phpmailer" ), array() );
ok( 0 === $status && ! str_contains( $output, 'failed' ), 'without the extension, the plugin sent every case', $output );

// Core's deliveries, by case name.
$core = array();
foreach ( glob( $capture['dir'] . '/*.eml' ) ?: array() as $file ) {
	$raw      = (string) file_get_contents( $file );
	$envelope = json_decode( (string) file_get_contents( substr( $file, 0, -4 ) . '.json' ), true );
	$name     = substr( (string) header_value( $raw, 'X-Smtpx-Test' ), strlen( "$run-core-" ) );
	$core[ $name ] = array(
		'raw'        => $raw,
		'recipients' => $envelope['rcpt_tos'],
		'sender'     => $envelope['mail_from'],
	);
}

foreach ( cases() as $name => $case ) {
	$expected = $core[ $name ] ?? null;
	if ( ! ok( null !== $expected, "$name: core's delivery captured" ) ) {
		continue;
	}
	foreach ( array( 'smtpx' => '', 'phpmailer' => ' (without the extension)' ) as $path => $label ) {
		$copies     = delivered( "$run-$path-$name", count( $expected['recipients'] ) );
		$recipients = array_map(
			static function ( $raw ) {
				return header_value( $raw, 'Delivered-To' );
			},
			$copies
		);
		$expected_recipients = array_map( 'strtolower', $expected['recipients'] );
		sort( $recipients );
		sort( $expected_recipients );
		is( $recipients, $expected_recipients, "$name: same envelope recipients$label" );
		is( trim( (string) header_value( $copies[0] ?? '', 'Return-Path' ), '<>' ), $expected['sender'], "$name: same envelope sender$label" );

		if ( 'woocommerce-order' === $name ) {
			$flat = str_replace( "\r\n", "\n", $copies[0] ?? '' );
			ok( str_contains( $flat, 'Content-Type: multipart/alternative;' ) && str_contains( $flat, "Content-Type: text/plain; charset=UTF-8\n\nThanks for shopping with us\n\nIhre Bestellung über" ), "$name: the AltBody set in phpmailer_init is delivered as the text alternative$label" );
		}

		// The X-Smtpx-Test values differ by design (they say which path sent it).
		$ours   = normalise( str_replace( "$run-$path-$name", 'MARKER', $copies[0] ?? '' ) );
		$theirs = normalise( str_replace( "$run-core-$name", 'MARKER', $expected['raw'] ) );
		if ( ! ok( $ours === $theirs, "$name: the message equals core's$label" ) ) {
			file_put_contents( state_dir() . "/artifacts/compat-$name.core.eml", $theirs );
			file_put_contents( state_dir() . "/artifacts/compat-$name.$path.eml", $ours );
			exec( 'diff -u ' . escapeshellarg( state_dir() . "/artifacts/compat-$name.core.eml" ) . ' ' . escapeshellarg( state_dir() . "/artifacts/compat-$name.$path.eml" ) . ' | head -20', $diff );
			echo preg_replace( '/^/m', '#   ', implode( "\n", $diff ) ) . "\n";
		}
	}
}
