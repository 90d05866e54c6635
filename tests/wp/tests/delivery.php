<?php
/**
 * wp_mail() with the plugin active goes through smtpx to the harness's Postfix:
 * delivered once per recipient (To, Cc, Bcc), Bcc not in the header, the envelope
 * sender as From, wp_mail_succeeded fired, the extension's result kept, PHPMailer's
 * action_function called per recipient.
 */

namespace SmtpxTest;

require __DIR__ . '/../lib/bootstrap.php';

use_connection( postfix_submission() );

$succeeded = null;
add_action(
	'wp_mail_succeeded',
	static function ( $data ) use ( &$succeeded ) {
		$succeeded = $data;
	}
);

$marker = marker( 'delivery' );
$sent   = wp_mail(
	'to-one@example.com, Two Person <to-two@example.com>',
	'Delivery through smtpx',
	"Hello.\n.A line that starts with a dot.\n",
	array( 'Cc: cc@example.com', 'Bcc: hidden@example.com', "X-Smtpx-Test: $marker", 'From: Sender <sender@example.com>' )
);
is( $sent, true, 'wp_mail() returns true' );
ok( is_array( $succeeded ), 'wp_mail_succeeded fired' );

global $phpmailer;
ok( $phpmailer instanceof \Smtpx\WordPress\Mailer, 'the global $phpmailer is the smtpx Mailer' );
ok( $phpmailer instanceof \PHPMailer\PHPMailer\PHPMailer, 'and still a PHPMailer' );
is( $phpmailer->smtpx_result['port'] ?? null, 10587, 'submitted on port 10587' );
is( $phpmailer->smtpx_result['accepted'] ?? null, array( 'to-one@example.com', 'to-two@example.com', 'cc@example.com', 'hidden@example.com' ), 'every recipient accepted' );

$copies = delivered( $marker, 4 );
is( count( $copies ), 4, 'one copy per recipient in the maildir' );
$delivered_to = array_map(
	static function ( $raw ) {
		return header_value( $raw, 'Delivered-To' );
	},
	$copies
);
sort( $delivered_to );
is( $delivered_to, array( 'cc@example.com', 'hidden@example.com', 'to-one@example.com', 'to-two@example.com' ), 'delivered to To, Cc and Bcc' );
$first = $copies[0] ?? '';
is( header_value( $first, 'Bcc' ), null, 'no Bcc header' );
is( header_value( $first, 'Return-Path' ), '<sender@example.com>', 'envelope sender is the From address' );
is( header_value( $first, 'To' ), 'to-one@example.com, Two Person <to-two@example.com>', 'To header as wp_mail() composed it' );
ok( str_contains( str_replace( "\r\n", "\n", $first ), "\n.A line that starts with a dot.\n" ), 'a leading dot survives (dot-stuffing undone)' );

// A plugin that answers pre_wp_mail itself keeps that power: nothing is sent.
$marker = marker( 'pre-wp-mail' );
$answer = static function () {
	return true;
};
add_filter( 'pre_wp_mail', $answer );
is( wp_mail( 'reader@example.com', 'Short-circuited', 'body', array( "X-Smtpx-Test: $marker" ) ), true, 'pre_wp_mail\'s answer is wp_mail()\'s' );
is( delivered( $marker, 1, 1 ), array(), 'a short-circuited mail is not sent' );
remove_filter( 'pre_wp_mail', $answer );

// PHPMailer's action_function, as its own SMTP client calls it.
$callbacks     = array();
$with_callback = static function ( $mailer ) use ( &$callbacks ) {
	$mailer->action_function = static function ( $is_sent, $to, $cc, $bcc, $subject, $body, $from, $extra ) use ( &$callbacks ) {
		$callbacks[] = array( $is_sent, $to[0][0], $subject, '' !== (string) ( $extra['smtp_transaction_id'] ?? '' ) );
	};
};
add_action( 'phpmailer_init', $with_callback );
wp_mail( array( 'reader@example.com', 'reject-cb@example.com' ), 'Callback', 'body' );
is( $callbacks, array( array( true, 'reader@example.com', 'Callback', true ), array( false, 'reject-cb@example.com', 'Callback', true ) ), 'PHPMailer\'s action_function is called per recipient, sent or refused, with the queue id' );
remove_action( 'phpmailer_init', $with_callback );
$phpmailer->action_function = '';
