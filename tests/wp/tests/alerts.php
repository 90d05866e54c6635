<?php
/**
 * Alerts: a refused login, a message that failed for good and a stuck outbox each send
 * one alert an hour, by email through the fallback connection and as Slack-compatible
 * JSON to a webhook; a recipient refused among accepted ones and a transient failure
 * send none. Without a fallback connection the alert email goes through PHP's mail(),
 * which tests/wp/run points at the harness's Postfix (sendmail -C).
 */

namespace SmtpxTest;

require __DIR__ . '/../lib/bootstrap.php';

// The webhook: PHP's built-in server on a free loopback port.
$log  = state_dir() . '/webhook-' . bin2hex( random_bytes( 4 ) ) . '.log';
$port = 0;
for ( $try = 0; $try < 20 && 0 === $port; $try++ ) {
	$candidate = random_int( 40000, 49999 );
	$probe     = @stream_socket_server( "tcp://127.0.0.1:$candidate" );
	if ( $probe ) {
		fclose( $probe );
		$port = $candidate;
	}
}
$server = proc_open( array( PHP_BINARY, '-S', "127.0.0.1:$port", __DIR__ . '/../lib/webhook-receiver.php' ), array( 1 => array( 'file', '/dev/null', 'a' ), 2 => array( 'file', '/dev/null', 'a' ) ), $pipes, null, array( 'SMTPX_WEBHOOK_LOG' => $log ) );
register_shutdown_function(
	static function () use ( $server, $log ) {
		proc_terminate( $server );
		proc_close( $server );
		@unlink( $log );
	}
);
for ( $wait = 0; $wait < 50 && ! @stream_socket_client( "tcp://127.0.0.1:$port", $errno, $error, 1 ); $wait++ ) {
	usleep( 100000 );
}
// The webhook is on the site's own host at another port: wp_safe_remote_post() needs telling.
add_filter(
	'http_allowed_safe_ports',
	static function ( $ports ) use ( $port ) {
		return array_merge( (array) $ports, array( $port ) );
	}
);
$alerts = static function () use ( $log ): array {
	usleep( 200000 );
	return array_map( 'json_decode', file( $log, FILE_IGNORE_NEW_LINES ) ?: array() );
};

$ops = 'ops-' . marker( 'alerts' ) . '@example.com';
/** Alert mails delivered to $to (default $ops), waiting up to $seconds for $count of them. */
$alert_mails = static function ( string $to = '', float $seconds = 0, int $count = 1 ) use ( $ops ): array {
	$to       = '' === $to ? $ops : $to;
	$deadline = microtime( true ) + $seconds;
	while ( true ) {
		$found = array();
		foreach ( glob( peers_dir() . '/maildir/{new,cur}/*', GLOB_BRACE ) ?: array() as $file ) {
			$raw = (string) file_get_contents( $file );
			if ( str_contains( $raw, "Delivered-To: $to" ) ) {
				$found[] = $raw;
			}
		}
		if ( count( $found ) >= $count || microtime( true ) >= $deadline ) {
			return $found;
		}
		usleep( 200000 );
	}
};
// Postfix's pickup writes "(Postfix, from userid N)" for mail handed to its sendmail; mail
// that came over SMTP says "from HOST ([IP])" instead.
$through_sendmail = static function ( string $mail ): bool {
	return 1 === preg_match( '/^Received: by \S+ \(Postfix, from userid \d+\)/m', $mail );
};
$settings = array(
	'alert_email'   => $ops,
	'alert_webhook' => "http://127.0.0.1:$port/hook",
	'from_email'    => 'wordpress@smtpx.test',
);
foreach ( array( 'auth', 'failed', 'stuck' ) as $kind ) {
	delete_transient( "smtpx_alert_$kind" );
}
outbox_clear();

// A refused login: the alert goes through the fallback, not the failing primary.
use_connection( postfix_submission( 'not-the-password' ), plain_connection( 10025 ), $settings );
wp_mail( 'reader@example.com', 'Refused login', 'body' );
$sent = $alerts();
is( count( $sent ), 1, 'refused login: one webhook alert' );
ok( str_contains( (string) ( $sent[0]->text ?? '' ), 'refused the login' ) && str_contains( (string) ( $sent[0]->text ?? '' ), '535' ), 'refused login: the alert says what happened', (string) ( $sent[0]->text ?? '' ) );
$mail = $alert_mails( $ops, 10 )[0] ?? '';
ok( str_contains( $mail, 'refused the login' ), 'refused login: the alert email arrives through the fallback connection' );
is( header_value( $mail, 'Subject' ), 'smtpx alert: smtpx test site', 'refused login: with its subject' );
ok( '' !== $mail && ! $through_sendmail( $mail ), 'refused login: sent over SMTP, not handed to mail()' );
wp_mail( 'reader@example.com', 'Refused login again', 'body' );
is( count( $alerts() ), 1, 'refused login again: no second alert within the hour' );

// A message that failed for good (every recipient refused).
use_connection( postfix_submission(), plain_connection( 10025 ), $settings );
wp_mail( 'reject-all@example.com', 'Refused recipient', 'body' );
$sent = $alerts();
is( count( $sent ), 2, 'failed for good: an alert' );
ok( str_contains( (string) ( $sent[1]->text ?? '' ), 'reject-all@example.com' ) && str_contains( (string) ( $sent[1]->text ?? '' ), 'will not be retried' ), 'failed for good: naming the recipient', (string) ( $sent[1]->text ?? '' ) );
$mails = $alert_mails( $ops, 10, 2 );
ok( 1 === count( preg_grep( '/will\s+not\s+be\s+retried/', $mails ) ), 'failed for good: the alert email arrives', implode( "\n----\n", $mails ) ); // The text is wrapped at 76 columns.
delete_transient( 'smtpx_alert_failed' );
wp_mail( array( 'reader@example.com', 'reject-one@example.com' ), 'One refused', 'body' );
is( count( $alerts() ), 2, 'one recipient refused among accepted ones: no alert' );

// A transient failure is no alert; an outbox stuck for an hour is.
use_connection( plain_connection( 9 ), array(), $settings );
wp_mail( 'reader@example.com', 'Deferred', 'body' );
is( count( $alerts() ), 2, 'deferred: no alert' );
do_action( 'smtpx_queue_run' );
is( count( $alerts() ), 2, 'a message waiting for its first retry: no alert' );
global $wpdb;
$wpdb->query( 'UPDATE ' . \Smtpx\WordPress\Outbox_Schema::table() . ' SET queued_at = queued_at - 3600' );
do_action( 'smtpx_queue_run' );
$sent = $alerts();
is( count( $sent ), 3, 'stuck: an alert' );
ok( str_contains( (string) ( $sent[2]->text ?? '' ), '1 message is waiting in the outbox, for 1 hour' ), 'stuck: saying how long', (string) ( $sent[2]->text ?? '' ) );
outbox_clear();

// No fallback connection: the alert email goes through PHP's mail().
$ops_without_fallback = 'ops-' . marker( 'alerts-mail' ) . '@example.com';
delete_transient( 'smtpx_alert_auth' );
use_connection( postfix_submission( 'not-the-password' ), array(), array( 'alert_email' => $ops_without_fallback ) + $settings );
wp_mail( 'reader@example.com', 'Refused login, no fallback', 'body' );
$mail = $alert_mails( $ops_without_fallback, 10 )[0] ?? '';
ok( str_contains( $mail, 'refused the login' ), 'no fallback: the alert email arrives through mail()' );
is( header_value( $mail, 'Subject' ), 'smtpx alert: smtpx test site', 'no fallback: with its subject' );
ok( $through_sendmail( $mail ), 'no fallback: handed to sendmail, not sent over SMTP', implode( "\n", preg_grep( '/^Received:/', explode( "\n", $mail ) ) ) );
foreach ( array( 'auth', 'failed', 'stuck' ) as $kind ) {
	delete_transient( "smtpx_alert_$kind" );
}
outbox_clear();
