<?php
/**
 * Sending with a connected OAuth account, against the harness's OAuth peer (a token
 * endpoint as Google's and Microsoft's, and submission with XOAUTH2 that takes only its
 * tokens): the refresh token is stored sealed, never in plain text; the extension gets
 * transport key oauth and delivers; a refresh token Microsoft rotated is stored (sealed);
 * a revoked grant keeps the mail queued (past its lifetime too) with an admin notice, a
 * critical Site Health result and an alert, asks the token endpoint nothing more, and
 * the mail goes out once the account is connected again. The same without the extension
 * (PHPMailer's XOAUTH2 with the plugin's token provider, the access token cached in a
 * transient), in a child PHP process.
 */

namespace SmtpxTest;

use Smtpx\WordPress\Oauth_Grant;
use Smtpx\WordPress\Queue_Runner;
use Smtpx\WordPress\Settings;

define( 'SMTPX_OAUTH_CLIENT_ID', 'smtpx-test-client' );
define( 'SMTPX_OAUTH_CLIENT_SECRET', 'smtpx-test-secret' );
require __DIR__ . '/../lib/bootstrap.php';
require __DIR__ . '/../lib/oauth-peers.php';

if ( 'racer' === ( $argv[1] ?? '' ) ) {
	// One of the child's simultaneous senders (below): one wp_mail(), its answer printed.
	use_oauth_peer();
	echo wp_json_encode( wp_mail( 'ann@example.net', "OAuth {$argv[2]}", "Sent with OAuth.\n" ) );
	exit;
}
$child = 'child' === ( $argv[1] ?? '' );
$label = $child ? 'without the extension: ' : '';
if ( ! $child ) {
	ok( function_exists( 'smtpx_send_raw' ), 'the extension is loaded' );
}
use_oauth_peer();
outbox_clear();
delete_option( Oauth_Grant::OPTION );

/** Sends one mail through wp_mail(); returns [wp_mail()'s answer, the marker]. */
$send = static function ( string $name ): array {
	$marker = marker( $name );
	return array( wp_mail( 'ann@example.net', "OAuth $marker", "Sent with OAuth.\n", array( "X-Smtpx-Test: $marker" ) ), $marker );
};

// Connected: sealed in the database, oauth settings in the transport.
$google = oauth_peer_grant( 'google' );
Oauth_Grant::connect( 'google', $google, 'user@example.com' );
is( options_holding( $google ), 0, $label . 'the refresh token is nowhere in wp_options in plain text' );
is( Oauth_Grant::refresh_token(), $google, $label . 'and opens for this connection' );
$transport = Settings::transport( 'primary' );
ok( isset( $transport['oauth'] ) && ! isset( $transport['oauth_token'] ) && $google === $transport['oauth']['refresh_token'] && 'smtpx-test-client' === $transport['oauth']['client_id'], $label . 'the transport carries the oauth settings (client id from SMTPX_OAUTH_CLIENT_ID), not an access token', wp_json_encode( array_keys( (array) $transport ) ) );

$mark              = oauth_peer_mark();
list( $sent, $m1 ) = $send( 'oauth-first' );
list( $again, $m2 ) = $send( 'oauth-second' );
ok( $sent && $again && '' !== oauth_peer_delivered( $m1 ) && '' !== oauth_peer_delivered( $m2 ), $label . 'two mails are delivered over OAuth' );
$auth = oauth_peer_log( $mark, $google, 'auth' );
// The extension keeps its connection for the second mail: one AUTH, or one per mail without it.
is( array_values( array_unique( array_map( static fn( $a ) => $a['mechanism'] . ( $a['accepted'] ? ' accepted' : ' refused' ), $auth ) ) ), array( 'XOAUTH2 accepted' ), $label . 'by XOAUTH2 with a token the endpoint issued' );
is( count( oauth_peer_log( $mark, $google, 'token' ) ), 1, $label . 'one token request for both: the access token is kept' );
if ( $child ) {
	is( options_holding( $google ), 0, $label . 'the cached access token\'s transient does not hold the refresh token' );
}

// Microsoft rotates the refresh token: the new one is stored, sealed.
$microsoft = oauth_peer_grant( 'microsoft' );
Oauth_Grant::connect( 'microsoft', $microsoft, 'user@example.com' );
$mark              = oauth_peer_mark();
list( $sent, $m3 ) = $send( 'oauth-rotated' );
$rotated           = Oauth_Grant::refresh_token();
$tokens            = oauth_peer_log( $mark, $microsoft, 'token' );
ok( $sent && '' !== oauth_peer_delivered( $m3 ), $label . 'Microsoft: delivered' );
ok( null !== $rotated && $microsoft !== $rotated && ! empty( $tokens[0]['rotated'] ), $label . 'the rotated refresh token replaced the stored one', wp_json_encode( $tokens ) );
is( array( options_holding( $microsoft ), options_holding( (string) $rotated ) ), array( 0, 0 ), $label . 'neither the old nor the new refresh token is in wp_options in plain text' );

if ( $child ) {
	// PHPMailer's path stores a rotated token as soon as the endpoint answers, and caches the
	// access token under it: a send refused afterwards loses nothing, the next asks nothing.
	$strict = oauth_peer_grant( 'microsoft' );
	Oauth_Grant::connect( 'microsoft', $strict, 'user@example.com' );
	$mark    = oauth_peer_mark();
	$refused = wp_mail( 'reject-oauth@example.net', 'Refused', "x\n" );
	$kept    = Oauth_Grant::refresh_token();
	ok( ! $refused && null !== $kept && $strict !== $kept, $label . 'the rotated refresh token is stored though the send was refused after it' );
	list( $sent, $m4 ) = $send( 'oauth-after-rotation' );
	ok( $sent && '' !== oauth_peer_delivered( $m4 ) && 1 === count( oauth_peer_log( $mark, $strict, 'token' ) ), $label . 'the next send uses the cached access token: one token request in all' );
	outbox_clear();

	// Four requests at once with no access token cached: one refreshes under the database's
	// lock, the others take its token. (Each presenting the refresh token would have the
	// peer refuse the third and fourth: Microsoft's rotated token gets one more use.)
	$raced = oauth_peer_grant( 'microsoft' );
	Oauth_Grant::connect( 'microsoft', $raced, 'user@example.com' );
	$mark    = oauth_peer_mark();
	$racers  = array();
	$markers = array();
	for ( $i = 0; $i < 4; $i++ ) {
		$markers[] = marker( "oauth-racer-$i" );
		$command   = array_merge( array( PHP_BINARY, '-d', 'sendmail_path=' . ini_get( 'sendmail_path' ) ), array( __FILE__, 'racer', end( $markers ) ) );
		$racers[]  = proc_open( $command, array( 1 => array( 'pipe', 'w' ), 2 => array( 'pipe', 'w' ) ), $pipes );
		$outputs[] = $pipes;
	}
	$answers = array();
	foreach ( $racers as $i => $racer ) {
		$answers[] = trim( stream_get_contents( $outputs[ $i ][1] ) . stream_get_contents( $outputs[ $i ][2] ) );
		proc_close( $racer );
	}
	is( $answers, array_fill( 0, 4, 'true' ), $label . 'four simultaneous sends: wp_mail() returns true in each' );
	ok( array() === array_filter( $markers, static fn( $m ) => '' === oauth_peer_delivered( $m ) ), $label . 'and all four are delivered' );
	$tokens = oauth_peer_log( $mark, $raced, 'token' );
	is( array( count( $tokens ), $tokens[0]['status'] ?? null ), array( 1, 200 ), $label . 'one token request for the four', wp_json_encode( $tokens ) );
	wp_cache_delete( 'alloptions', 'options' ); // The racers stored it: read it afresh.
	wp_cache_delete( Oauth_Grant::OPTION, 'options' );
	ok( ! Oauth_Grant::needs_reconnect() && $raced !== Oauth_Grant::refresh_token(), $label . 'the grant is fine, its rotated refresh token stored' );
	outbox_clear();
}

// Revoked: the mail waits, however long, and nothing asks the provider again.
update_option( 'admin_email', 'ops-' . marker( 'oauth-alert' ) . '@example.com' );
add_filter(
	'pre_option_' . Settings::OPTION,
	static function ( $settings ) {
		$settings['alert_email'] = get_option( 'admin_email' );
		return $settings;
	},
	20
);
delete_transient( 'smtpx_alert_oauth' );
$revoked = oauth_peer_grant( 'google' );
Oauth_Grant::connect( 'google', $revoked, 'user@example.com' );
oauth_peer( 'POST', '/_control', array( 'revoke' => $revoked ) );
$mark                  = oauth_peer_mark();
list( $answer, $held ) = $send( 'oauth-revoked' );
$row                   = outbox_rows( "subject LIKE '%oauth-revoked%'" )[0] ?? array();
is( array( $answer, $row['status'] ?? null, $row['failure_phase'] ?? null ), array( true, 'queued', 'auth' ), $label . 'a revoked grant: wp_mail() returns true, the mail is queued, the failure is the login' );
ok( Oauth_Grant::needs_reconnect() && str_contains( Oauth_Grant::reconnect_reason(), 'refused' ), $label . 'the grant is marked as needing a new Connect', Oauth_Grant::reconnect_reason() );
ok( (bool) preg_grep( '/connect the account again/i', array( (string) ( $row['failure_message'] ?? '' ) . ' ' . (string) ( $row['failure_hint'] ?? '' ) ) ), $label . 'the email log says to connect the account again', wp_json_encode( $row ) );
ok( str_contains( implode( ' ', array_column( \Smtpx\WordPress\Notices::problems(), 1 ) ), 'Connect the account again' ), $label . 'an admin notice says so' );
is( \Smtpx\WordPress\Site_Health::test_connection()['status'], 'critical', $label . 'Site Health reports it as critical' );
ok( false !== get_transient( 'smtpx_alert_oauth' ) && delivered_to( get_option( 'admin_email' ) ), $label . 'an alert is mailed' );
outbox_make_due();
global $wpdb;
$wpdb->query( 'UPDATE ' . \Smtpx\WordPress\Outbox_Schema::table() . ' SET queued_at = 0' ); // Its lifetime has ended.
Queue_Runner::run();
$row = outbox_rows( "subject LIKE '%oauth-revoked%'" )[0] ?? array();
is( array( $row['status'] ?? null, (int) ( $row['attempts'] ?? 0 ) ), array( 'queued', 2 ), $label . 'retried past its lifetime, it stays queued' );
is( count( oauth_peer_log( $mark, $revoked, 'token' ) ), 1, $label . 'only the first attempt asked the token endpoint' );

// Connect again: the waiting mail goes out.
Oauth_Grant::connect( 'google', oauth_peer_grant( 'google' ), 'user@example.com' );
ok( ! Oauth_Grant::needs_reconnect(), $label . 'connected again, nothing needs a reconnect' );
Queue_Runner::run();
$row = outbox_rows( "subject LIKE '%oauth-revoked%'" )[0] ?? array();
ok( 'sent' === ( $row['status'] ?? null ) && '' !== oauth_peer_delivered( $held ), $label . 'the held mail is delivered at the next run', wp_json_encode( $row['status'] ?? null ) );

outbox_clear();
delete_option( Oauth_Grant::OPTION );

if ( ! $child ) {
	// Without the extension: the same in a PHP process that does not load it.
	// PHP's mail() (the alert) goes to the harness's Postfix, as in this process.
	list( $status, $output ) = run_php( array( __FILE__, 'child' ), array( '-d', 'sendmail_path=' . ini_get( 'sendmail_path' ) ) );
	echo $output, "\n";
	ok( 0 === $status, 'the child without the extension finished', $output );
}

/** Whether a message to $address reached the harness maildir within 10 s. */
function delivered_to( string $address ): bool {
	$deadline = microtime( true ) + 10;
	do {
		foreach ( glob( peers_dir() . '/maildir/{new,cur}/*', GLOB_BRACE ) ?: array() as $file ) {
			if ( str_contains( (string) file_get_contents( $file ), "Delivered-To: $address" ) ) {
				return true;
			}
		}
		usleep( 200000 );
	} while ( microtime( true ) < $deadline );
	return false;
}
