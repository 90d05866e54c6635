<?php
/**
 * Site Health: the connection test measures with smtpx_probe() (reachable, TLS
 * verified, login accepted) and the failures test reports the last day's failures.
 */

namespace SmtpxTest;

use Smtpx\WordPress\Failure_Log;
use Smtpx\WordPress\Site_Health;

require __DIR__ . '/../lib/bootstrap.php';

$tests = apply_filters( 'site_status_tests', array( 'direct' => array(), 'async' => array() ) );
ok( isset( $tests['direct']['smtpx_extension'], $tests['async']['smtpx_connection'], $tests['direct']['smtpx_failures'] ), 'the three tests are registered' );
ok( ! isset( $tests['direct']['smtpx_connection'] ) && true === ( $tests['async']['smtpx_connection']['has_rest'] ?? null ), 'the connection test is asynchronous, through REST: the page never waits for a port' );

// The endpoint answers for those who may see Site Health, and no one else.
use_connection( array() );
$request = new \WP_REST_Request( 'GET', '/smtpx/v1/site-health/connection' );
wp_set_current_user( 0 );
is( rest_do_request( $request )->get_status(), 401, 'REST: refused to visitors' );
wp_set_current_user( 1 );
$response = rest_do_request( $request );
is( array( $response->get_status(), $response->get_data()['test'] ?? null, $response->get_data()['status'] ?? null ), array( 200, 'smtpx_connection', 'recommended' ), 'REST: the connection test\'s result for an administrator' );
ok( str_ends_with( (string) $tests['async']['smtpx_connection']['test'], 'smtpx/v1/site-health/connection' ), 'Site Health is given the endpoint' );

use_connection( array() );
is( Site_Health::test_connection()['status'], 'recommended', 'no connection: recommended to configure one' );

delete_transient( 'smtpx_health_probe' );
use_connection( array_merge( postfix_submission(), array( 'ports' => '9' ) ) );
$result = Site_Health::test_connection();
is( $result['status'], 'critical', 'unreachable server: critical' );
ok( str_contains( $result['description'], 'block' ), 'unreachable server: the description speaks of blocked ports', $result['description'] );

delete_transient( 'smtpx_health_probe' );
use_connection( postfix_submission() );
$result = Site_Health::test_connection();
ok( str_contains( $result['label'], 'reaches 127.0.0.1 on port 10587' ), 'reachable server: named with its port', $result['label'] );
if ( extension_loaded( 'smtpx' ) ) {
	is( $result['status'], 'good', 'reachable server: good with verified TLS and an accepted login' );
	delete_transient( 'smtpx_health_probe' );
	use_connection( postfix_submission( 'not-the-password' ) );
	is( Site_Health::test_connection()['status'], 'critical', 'refused login: critical' );
} else {
	echo "ok 90 - reachable server: TLS and login # SKIP the test shim's probe only connects\n";
}
delete_transient( 'smtpx_health_probe' );

delete_option( Failure_Log::OPTION );
is( Site_Health::test_recent_failures()['status'], 'good', 'no recent failures: good' );
Failure_Log::record( array( 'connection' => 'primary', 'host' => '127.0.0.1', 'phase' => 'auth', 'smtp_code' => 535, 'enhanced_status' => '5.7.8', 'message' => '535 5.7.8 refused', 'hint' => 'Check the key.' ) );
$result = Site_Health::test_recent_failures();
is( $result['status'], 'critical', 'a recent failure: critical' );
ok( str_contains( $result['description'], '535 5.7.8 refused Check the key.' ), 'a recent failure: quoted with its hint' );
delete_option( Failure_Log::OPTION );

// The outbox.
ok( isset( $tests['direct']['smtpx_queue'] ), 'the outbox test is registered' );
outbox_clear();
is( Site_Health::test_queue()['status'], 'good', 'outbox: empty is good' );
use_connection( plain_connection( 9 ) );
wp_mail( 'reader@example.com', 'Waiting', 'body' );
is( Site_Health::test_queue()['status'], 'good', 'outbox: a message waiting for its retry is good' );
global $wpdb;
$wpdb->query( 'UPDATE ' . \Smtpx\WordPress\Outbox_Schema::table() . ' SET queued_at = queued_at - 3600' );
$result = Site_Health::test_queue();
is( $result['status'], 'critical', 'outbox: waiting for an hour is stuck' );
ok( str_contains( $result['description'], 'smtpx_queue_run' ) && str_contains( $result['description'], 'for 1 hour' ), 'outbox: the description says how long and what to check', $result['description'] );
outbox_clear();
use_connection( plain_connection( start_sink( array( '-q', '.' ) ) ) );
wp_mail( 'reader@example.com', 'Held', 'body' );
$result = Site_Health::test_queue();
is( $result['status'], 'recommended', 'outbox: held mail needs a decision' );
ok( str_contains( $result['actions'], 'status=held' ), 'outbox: linked to the held mail in the email log' );
outbox_clear();
