<?php
/**
 * Without the extension the plugin still delivers with the same settings, through
 * PHPMailer's own SMTP client (STARTTLS verified, AUTH), with the same outbox: the same
 * bytes as through the extension; a provider that is down or a 4xx defers the mail; a
 * refused login fails for good; no reply after the data holds it. An admin notice and
 * Site Health say what the extension would add. Run in a child PHP process without the
 * extension (or the tests' shim).
 */

namespace SmtpxTest;

use Smtpx\WordPress\Outbox;

if ( 'child' === ( $argv[1] ?? '' ) ) {
	require __DIR__ . '/../lib/bootstrap.php';
	$marker = $argv[2];
	$report = array( 'function' => function_exists( 'smtpx_send_raw' ) );
	$status = static function () {
		$rows = outbox_rows();
		$row  = end( $rows );
		outbox_clear();
		return $row ? array( $row['status'], $row['failure_phase'], (int) $row['failure_code'], $row['failure_status'] ) : null;
	};
	outbox_clear();

	use_connection( postfix_submission() );
	$report['sent']      = wp_mail( 'reader@example.com', 'Same bytes', "Grüße.\n.A dot line.\n", array( "X-Smtpx-Test: $marker", 'Cc: copy@example.com' ) );
	$report['result']    = $GLOBALS['phpmailer']->smtpx_result;
	$report['class']     = get_class( $GLOBALS['phpmailer'] );
	$report['sent_row']  = $status();
	$report['sent_reply'] = $report['result']['reply'] ?? '';

	$deferred = 0;
	add_action(
		'smtpx_mail_deferred',
		static function () use ( &$deferred ) {
			++$deferred;
		}
	);
	use_connection( plain_connection( 9 ) );
	$report['down']     = array( wp_mail( 'reader@example.com', 'Down', 'body' ), $status() );
	use_connection( postfix_submission() );
	$report['tempfail'] = array( wp_mail( 'tempfail-one@example.com', 'Tempfail', 'body' ), $status() );
	$report['deferred'] = $deferred;
	use_connection( postfix_submission( 'not-the-password' ) );
	$report['auth']     = array( wp_mail( 'reader@example.com', 'Refused login', 'body' ), $status() );
	use_connection( postfix_submission() );
	$report['partial']  = array( wp_mail( array( 'reader@example.com', 'reject-me@example.com' ), 'Partial', 'body' ), $status() );
	use_connection( array_merge( postfix_submission(), array( 'ports' => '10588' ) ) );
	$report['wrong_certificate'] = array( wp_mail( 'reader@example.com', 'Wrong certificate', 'body' ), $status() );
	$api = static function () {
		return 'sendgrid+api://SG.key@api.sendgrid.com';
	};
	add_filter( 'smtpx_transport', $api );
	$report['api'] = array( wp_mail( 'reader@example.com', 'API without the extension', 'body' ), $status() );
	remove_filter( 'smtpx_transport', $api );
	// Built only, never sent to the provider: without the extension the API sends nothing.
	use_connection( array( 'preset' => 'ses', 'transport' => 'api', 'region' => 'eu-west-1', 'username' => 'AKIDTEST', 'password' => 'ses-test-secret' ) );
	$report['api_setting'] = array( wp_mail( 'reader@example.com', 'API chosen without the extension', 'body' ), $status() );
	$report['api_notices'] = array_column( \Smtpx\WordPress\Notices::problems(), 1 );
	// SendGrid's API key is its SMTP password too: over SMTP until the extension is there.
	use_connection( array( 'preset' => 'sendgrid', 'transport' => 'api', 'password' => 'SG.test-key' ) );
	$sendgrid                 = \Smtpx\WordPress\Settings::transport( 'primary' );
	$report['api_over_smtp']  = array( $sendgrid['host'] ?? null, $sendgrid['username'] ?? null, isset( $sendgrid['api'] ), isset( $sendgrid['fallback'] ) );
	$report['api_smtp_notes'] = array_column( \Smtpx\WordPress\Notices::problems(), 1 );
	// Brevo's API key opens no SMTP server: the mail waits, as for Mailgun and SES.
	use_connection( array( 'preset' => 'brevo', 'transport' => 'api', 'password' => 'xkeysib-test' ) );
	$report['brevo_api'] = array( wp_mail( 'reader@example.com', 'Brevo API chosen without the extension', 'body' ), $status(), \Smtpx\WordPress\Message_Fields::needed() );
	use_connection( array( 'preset' => 'sendgrid', 'password' => 'SG.test-key' ) );
	$report['sendgrid_fallback'] = array_key_exists( 'fallback', (array) \Smtpx\WordPress\Settings::transport( 'primary' ) );
	use_connection( array( 'preset' => 'mailgun_us', 'username' => 'postmaster@mg.example.com', 'password' => 'smtp-password', 'api_key' => 'mg-test-key' ) );
	$report['api_fallback'] = array_key_exists( 'fallback', (array) \Smtpx\WordPress\Settings::transport( 'primary' ) );
	use_connection( plain_connection( start_sink( array( '-q', '.' ) ) ) );
	$report['unknown']  = array( wp_mail( 'reader@example.com', 'No reply', 'body' ), $status() );

	$report['notices'] = array_column( \Smtpx\WordPress\Notices::problems(), 1 );
	$report['health']  = \Smtpx\WordPress\Site_Health::test_extension()['status'];
	echo json_encode( $report );
	exit;
}

require __DIR__ . '/../lib/bootstrap.php';
$marker = marker( 'no-extension' );
// The same mail through the extension first, for the bytes to compare.
use_connection( postfix_submission() );
wp_mail( 'reader@example.com', 'Same bytes', "Grüße.\n.A dot line.\n", array( "X-Smtpx-Test: $marker", 'Cc: copy@example.com' ) );
is( count( delivered( $marker, 2 ) ), 2, 'through the extension: delivered to To and Cc' );
outbox_clear();

[ $status, $output ] = run_php( array( __FILE__, 'child', $marker ), array() );
$child = json_decode( $output, true );
if ( ! ok( is_array( $child ), 'the child ran without the extension', $output ) ) {
	exit;
}
is( $child['function'], false, 'smtpx_send_raw() is not there' );
is( $child['class'], 'Smtpx\WordPress\Mailer', 'the plugin still handles wp_mail()' );
is( $child['sent'], true, 'PHPMailer path: wp_mail() returns true' );
is( $child['result']['port'] ?? null, 10587, 'PHPMailer path: submitted on the configured port' );
is( $child['result']['tls'] ?? null, 'TLS', 'PHPMailer path: over TLS (STARTTLS, certificate verified against SMTPX_CAFILE)' );
is( $child['sent_row'], array( 'sent', '', 0, '' ), 'PHPMailer path: logged as sent' );
ok( str_starts_with( $child['sent_reply'], '250 ' ), 'PHPMailer path: the final reply is kept', $child['sent_reply'] );
$copies = delivered( $marker, 4 );
is( count( $copies ), 4, 'PHPMailer path: delivered to To and Cc too' );
$normalised = array_unique( array_map( __NAMESPACE__ . '\normalise', $copies ) );
is( count( $normalised ), 1, 'PHPMailer path: the same bytes as through the extension', implode( "\n----\n", $normalised ) );

is( $child['down'], array( true, array( 'queued', 'connect', 0, '' ) ), 'PHPMailer path: no port reachable is deferred (wp_mail() true)' );
is( $child['tempfail'], array( true, array( 'queued', 'rcpt', 450, '4.2.0' ) ), 'PHPMailer path: a 450 is deferred' );
is( $child['deferred'], 2, 'PHPMailer path: smtpx_mail_deferred fired for both' );
is( $child['auth'], array( false, array( 'failed', 'auth', 535, '5.7.8' ) ), 'PHPMailer path: a refused login fails for good' );
is( $child['partial'], array( false, array( 'sent', '', 0, '' ) ), 'PHPMailer path: a refused recipient fails the call, the others get it' );
is( $child['wrong_certificate'], array( false, array( 'failed', 'tls', 0, '' ) ), 'PHPMailer path: a certificate for another name fails at TLS, before AUTH' );
is( $child['api'], array( false, array( 'failed', 'input', 0, '' ) ), 'PHPMailer path: an HTTPS API DSN fails at once, saying it needs the extension' );
is( $child['api_setting'], array( true, array( 'queued', 'connect', 0, '' ) ), 'PHPMailer path: a connection set to an HTTPS API sends nothing; the mail waits in the outbox' );
ok( str_contains( implode( ' ', $child['api_notices'] ), 'the primary connection sends over the provider\'s HTTPS API, which needs the smtpx extension' ), 'PHPMailer path: an admin notice says the API needs the extension and that SMTP works without it' );
is( $child['api_fallback'], false, 'PHPMailer path: an SMTP connection with an API key gets no HTTPS fallback (PHPMailer speaks SMTP only)' );
is( $child['api_over_smtp'], array( 'smtp.sendgrid.net', 'apikey', false, false ), 'PHPMailer path: SendGrid set to its HTTPS API goes over SMTP with the same key' );
ok( str_contains( implode( ' ', $child['api_smtp_notes'] ), 'the primary connection is set to the provider\'s HTTPS API, which needs the smtpx extension, so its mail goes over SMTP with the same key' ), 'PHPMailer path: an admin notice says the API needs the extension and SMTP is used' );
is( $child['brevo_api'], array( true, array( 'queued', 'connect', 0, '' ), false ), 'PHPMailer path: Brevo set to its HTTPS API sends nothing (its API key is no SMTP key); the mail waits, no fields kept' );
is( $child['sendgrid_fallback'], false, 'PHPMailer path: SendGrid over SMTP gets no HTTPS fallback' );
is( $child['unknown'], array( false, array( 'held', 'data', 0, '' ) ), 'PHPMailer path: no reply after the data is held' );
ok( str_contains( implode( ' ', $child['notices'] ), 'the smtpx PHP extension is not loaded, so smtpx sends through PHPMailer' ), 'an admin notice says the extension is missing and what sends instead' );
is( $child['health'], 'recommended', 'Site Health recommends the extension' );
