<?php
/**
 * SMTPX_DO_NOT_SEND (staging sites): wp_mail() succeeds, nothing is submitted (and
 * wp_mail_succeeded does not fire), a log line says what was dropped, and the admin bar and notices say mail is not sent.
 */

namespace SmtpxTest;

define( 'SMTPX_DO_NOT_SEND', true );
require __DIR__ . '/../lib/bootstrap.php';
require_once ABSPATH . WPINC . '/class-wp-admin-bar.php';

use_connection( postfix_submission() );
$log = tempnam( state_dir(), 'do-not-send-log' );
ini_set( 'error_log', $log ); // Captures the log line.

$succeeded = false;
add_action(
	'wp_mail_succeeded',
	static function () use ( &$succeeded ) {
		$succeeded = true;
	}
);
$marker = marker( 'do-not-send' );
is( wp_mail( 'reader@example.com', 'Staging mail', 'body', array( "X-Smtpx-Test: $marker" ) ), true, 'wp_mail() returns true' );
ok( ! $succeeded, 'wp_mail_succeeded does not fire: nothing was delivered' );
is( delivered( $marker, 1, 2 ), array(), 'nothing is delivered' );
ok( str_contains( (string) file_get_contents( $log ), 'SMTPX_DO_NOT_SEND is set, dropped mail "Staging mail" to reader@example.com' ), 'a log line names the dropped mail', (string) file_get_contents( $log ) );
unlink( $log );

// Even with no connection configured, mail is dropped rather than sent by core.
use_connection( array() );
is( wp_mail( 'reader@example.com', 'Staging mail, no connection', 'body' ), true, 'dropped without a connection too' );
is( get_class( $GLOBALS['phpmailer'] ), 'Smtpx\WordPress\Mailer', 'the smtpx Mailer handled it' );

wp_set_current_user( 1 );
$bar = new \WP_Admin_Bar();
\Smtpx\WordPress\Notices::admin_bar( $bar );
$node = $bar->get_node( 'smtpx-do-not-send' );
ok( null !== $node && str_contains( $node->title, 'SMTPX_DO_NOT_SEND' ), 'the admin bar says mail is not sent' );
ok( str_contains( implode( ' ', array_column( \Smtpx\WordPress\Notices::problems(), 1 ) ), 'SMTPX_DO_NOT_SEND' ), 'an admin notice says so' );
