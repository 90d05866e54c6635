<?php
/**
 * Failures reach wp_mail()'s callers whole: a refused login gives wp_mail_failed a
 * WP_Error with phase, SMTP code, enhanced status and a hint; an unreachable primary
 * falls back to the fallback connection, and without one the mail is deferred; a refused recipient fails the call while
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

// The same without a fallback: transient, so the message waits in the outbox for a retry
// (tests/outbox-retries.php follows it there) and wp_mail() says it is on its way.
$deferred = array();
$defer    = static function ( $id, $failure ) use ( &$deferred ) {
	$deferred[] = $failure;
};
add_action( 'smtpx_mail_deferred', $defer, 10, 2 );
use_connection( $closed );
$sent = wp_mail( 'reader@example.com', 'Nowhere to go', 'body' );
is( $sent, true, 'unreachable: wp_mail() returns true (deferred for a retry)' );
is( count( $errors ), 0, 'unreachable: wp_mail_failed does not fire' );
is( $deferred[0]['phase'] ?? null, 'connect', 'unreachable: smtpx_mail_deferred names the connect phase' );
ok( true === ( $deferred[0]['transient'] ?? null ), 'unreachable: marked transient' );
ok( str_contains( (string) ( $deferred[0]['message'] ?? '' ) . ' ' . ( $deferred[0]['hint'] ?? '' ), 'port' ), 'unreachable: the failure says what to do about the port', var_export( $deferred[0] ?? null, true ) );
remove_action( 'smtpx_mail_deferred', $defer, 10 );
outbox_clear();

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

// A port where something other than SMTP answers (an SSH server here): the failure says so
// without quoting it, in wp_mail()'s error, the log and the test email's transcript.
$probe = stream_socket_server( 'tcp://127.0.0.1:0' );
$name  = stream_socket_get_name( $probe, false );
fclose( $probe );
$ssh_port = (int) substr( $name, strrpos( $name, ':' ) + 1 );
$ssh      = proc_open( array( PHP_BINARY, '-r', '$s = stream_socket_server("tcp://127.0.0.1:" . $argv[1]); while ($c = stream_socket_accept($s, 30)) { fwrite($c, "SSH-2.0-OpenSSH_9.2 internal-build-7\r\n"); fclose($c); }', (string) $ssh_port ), array(), $pipes );
register_shutdown_function(
	static function () use ( $ssh ) {
		proc_terminate( $ssh );
		proc_close( $ssh );
	}
);
for ( $wait = 0; $wait < 50 && ! @stream_socket_client( "tcp://127.0.0.1:$ssh_port", $errno, $error, 1 ); $wait++ ) {
	usleep( 100000 );
}
$deferred = array();
add_action( 'smtpx_mail_deferred', $defer, 10, 2 );
use_connection( plain_connection( $ssh_port ) );
wp_mail( 'reader@example.com', 'To an SSH port', 'body' );
$said = (string) ( $deferred[0]['message'] ?? '' );
ok( str_contains( $said, 'not an SMTP' ) && ! str_contains( $said, 'OpenSSH' ), 'not SMTP: the failure says so without quoting the banner', $said );
ok( ! str_contains( (string) wp_json_encode( outbox_rows() ), 'OpenSSH' ), 'not SMTP: nor does the log' );
$test = \Smtpx\WordPress\Test_Email::send( 'reader@example.com' );
ok( ! str_contains( (string) wp_json_encode( $test ), 'OpenSSH' ), 'not SMTP: nor the test email\'s result and transcript' );
remove_action( 'smtpx_mail_deferred', $defer, 10 );
outbox_clear();
