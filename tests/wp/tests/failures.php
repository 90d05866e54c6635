<?php
/**
 * Failures reach wp_mail()'s callers whole: a refused login gives wp_mail_failed a
 * WP_Error with phase, SMTP code, enhanced status and a hint; an unreachable primary
 * falls back to the fallback connection; a refused recipient fails the call while
 * the others still get the mail; failures are kept for Site Health.
 */

namespace SmtpxTest;

require __DIR__ . '/../lib/bootstrap.php';

$errors = array();
add_action(
	'wp_mail_failed',
	static function ( $error ) use ( &$errors ) {
		$errors[] = $error;
	}
);

// A refused login.
use_connection( postfix_submission( 'not-the-password' ) );
$sent = wp_mail( 'reader@example.com', 'Wrong password', 'body', array( 'X-Smtpx-Test: ' . marker( 'auth' ) ) );
is( $sent, false, 'auth failure: wp_mail() returns false' );
$error = $errors[0] ?? null;
ok( $error instanceof \WP_Error, 'auth failure: wp_mail_failed receives a WP_Error' );
$data = $error ? $error->get_error_data( 'wp_mail_failed' ) : array();
is( $data['smtp_phase'] ?? null, 'auth', 'auth failure: the error names the phase' );
is( $data['smtp_code'] ?? null, 535, 'auth failure: the error carries the SMTP code' );
is( $data['smtp_enhanced_status'] ?? null, '5.7.8', 'auth failure: the error carries the enhanced status' );
is( $data['phpmailer_exception_code'] ?? null, 535, 'auth failure: core\'s exception code is the SMTP code' );
// The hint is the extension's (Smtpx\Exception::getHint()), shown once.
ok( str_contains( (string) ( $data['smtp_hint'] ?? '' ), 'user name and password' ), 'auth failure: the extension\'s hint', (string) ( $data['smtp_hint'] ?? '' ) );
is( substr_count( $error ? $error->get_error_message() : '', (string) ( $data['smtp_hint'] ?? '' ) ), 1, 'auth failure: the hint appears once in the message' );
is( $data['to'] ?? null, array( 'reader@example.com' ), 'auth failure: core\'s mail data is kept' );
ok( str_contains( $error ? $error->get_error_message() : '', '535' ), 'auth failure: the message quotes the reply' );
is( \Smtpx\WordPress\Failure_Log::recent()[0]['phase'] ?? null, 'auth', 'auth failure: recorded for Site Health' );
is( delivered( marker( 'auth' ), 1, 1 ), array(), 'auth failure: nothing delivered' );

// A primary that cannot be reached, with a fallback.
$errors = array();
$closed = array(
	'preset' => 'other',
	'host'   => '127.0.0.1',
	'ports'  => '9',
	'auth'   => 'none',
	'tls'    => 'none',
);
use_connection( $closed, postfix_submission() );
$sent = wp_mail( 'reader@example.com', 'Through the fallback', 'body', array( 'X-Smtpx-Test: ' . marker( 'fallback' ) ) );
is( $sent, true, 'fallback: wp_mail() returns true when the primary is unreachable' );
global $phpmailer;
is( $phpmailer->smtpx_result['connection'] ?? null, 'fallback', 'fallback: the fallback connection sent it' );
is( count( delivered( marker( 'fallback' ) ) ), 1, 'fallback: delivered' );

// The same without a fallback.
use_connection( $closed );
$sent = wp_mail( 'reader@example.com', 'Nowhere to go', 'body' );
is( $sent, false, 'unreachable: wp_mail() returns false' );
$data = isset( $errors[0] ) ? $errors[0]->get_error_data( 'wp_mail_failed' ) : array();
is( $data['smtp_phase'] ?? null, 'connect', 'unreachable: the error names the connect phase' );
ok( true === ( $data['smtp_transient'] ?? null ), 'unreachable: marked transient' );
$unreachable = isset( $errors[0] ) ? $errors[0]->get_error_message() : '';
ok( str_contains( $unreachable, 'port' ), 'unreachable: the message says what to do about the port', $unreachable );

// A refused permanent failure does not go to the fallback.
$errors = array();
use_connection( postfix_submission( 'not-the-password' ), postfix_submission() );
is( wp_mail( 'reader@example.com', 'No fallback for a bad key', 'body', array( 'X-Smtpx-Test: ' . marker( 'no-fallback' ) ) ), false, 'permanent failure: the fallback is not tried' );
is( delivered( marker( 'no-fallback' ), 1, 1 ), array(), 'permanent failure: nothing delivered' );

// One refused recipient among accepted ones: as PHPMailer's SMTP client, the call fails, the others get it.
$errors = array();
use_connection( postfix_submission() );
$sent = wp_mail( array( 'reader@example.com', 'reject-me@example.com' ), 'One refused', 'body', array( 'X-Smtpx-Test: ' . marker( 'partial' ) ) );
is( $sent, false, 'refused recipient: wp_mail() returns false' );
$data = isset( $errors[0] ) ? $errors[0]->get_error_data( 'wp_mail_failed' ) : array();
is( $data['smtp_phase'] ?? null, 'rcpt', 'refused recipient: phase rcpt' );
is( $data['smtp_code'] ?? null, 550, 'refused recipient: code 550' );
is( array_keys( $data['smtp_rejected'] ?? array() ), array( 'reject-me@example.com' ), 'refused recipient: the refused address with its reply' );
ok( str_contains( $errors[0] ? $errors[0]->get_error_message() : '', 'reject-me@example.com' ), 'refused recipient: the message names the address' );
is( count( delivered( marker( 'partial' ) ) ), 1, 'refused recipient: the accepted one got the mail' );

// The extension refuses a transport it cannot use (a ValueError, not an Smtpx exception).
$errors = array();
use_connection( postfix_submission() );
$bogus = static function ( $transport ) {
	return is_array( $transport ) ? $transport + array( 'bogus_key' => 1 ) : $transport;
};
add_filter( 'smtpx_transport', $bogus );
is( wp_mail( 'reader@example.com', 'Refused transport', 'body' ), false, 'refused transport: wp_mail() returns false instead of a fatal error' );
$data = isset( $errors[0] ) ? $errors[0]->get_error_data( 'wp_mail_failed' ) : array();
is( $data['smtp_phase'] ?? null, 'input', 'refused transport: phase input' );
ok( str_contains( $errors[0] ? $errors[0]->get_error_message() : '', 'bogus_key' ), 'refused transport: the message names the field' );
remove_filter( 'smtpx_transport', $bogus );

// Not configured: WordPress's own path, untouched.
use_connection( array() );
$phpmailer  = null;
$core_class = null;
add_action(
	'phpmailer_init',
	static function ( $mailer ) use ( &$core_class ) {
		$core_class = get_class( $mailer );
		// Keep core's mail() from running: only which mailer is in use matters here.
		$mailer->isSendmail();
		$mailer->Sendmail = '/bin/true';
	}
);
is( wp_mail( 'reader@example.com', 'Core path', 'body' ), true, 'not configured: wp_mail() still works' );
is( $core_class, core_mailer_class(), 'not configured: core\'s own PHPMailer is used' );
