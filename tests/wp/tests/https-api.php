<?php
/**
 * Providers over their HTTPS APIs (the extension's api transports) against the harness's
 * API peer (tests/peers/api_server.py, SMTPX_API_ENDPOINT pointing at it): Mailgun and
 * SES, whose APIs take the message WordPress composed, offer "SMTP" or "HTTPS API", and
 * over SMTP fall back to the API with the optional API key; when SMTP is blocked the
 * mail goes over HTTPS and Site Health says so, until SMTP delivers again; the Ports
 * panel and Site Health's connection test show the HTTPS API. SendGrid, Postmark and
 * Brevo, whose APIs take the message's fields: tests/https-api-fields.php.
 */

namespace SmtpxTest;

use Smtpx\WordPress\Https_Fallback;
use Smtpx\WordPress\Ports_Panel;
use Smtpx\WordPress\Settings;
use Smtpx\WordPress\Site_Health;

define( 'SMTPX_API_ENDPOINT', 'https://127.0.0.1:10443' ); // API_PEER (lib/api-peer.php).
require __DIR__ . '/../lib/bootstrap.php';
require_once ABSPATH . 'wp-admin/includes/template.php';
require __DIR__ . '/../lib/api-peer.php';

wp_set_current_user( 1 );
$endpoint = array(
	'api_endpoint' => SMTPX_API_ENDPOINT,
	'cafile'       => SMTPX_CAFILE,
);

// What each preset hands to the extension.
use_connection( array( 'preset' => 'ses', 'transport' => 'api', 'region' => 'eu-west-1', 'username' => 'AKIDTEST', 'password' => 'ses-test-secret' ) );
is( Settings::transport( 'primary' ), array( 'api' => 'ses', 'api_key' => 'AKIDTEST', 'secret' => 'ses-test-secret', 'region' => 'eu-west-1' ) + $endpoint, 'SES over its API: access key ID, secret and region, no host or ports' );
use_connection( array( 'preset' => 'mailgun_eu', 'transport' => 'api', 'username' => 'mg.example.com', 'password' => 'mg-test-key' ) );
is( Settings::transport( 'primary' ), array( 'api' => 'mailgun', 'api_key' => 'mg-test-key', 'domain' => 'mg.example.com', 'region' => 'eu' ) + $endpoint, 'Mailgun (EU) over its API: the domain and the EU region' );
use_connection( array( 'preset' => 'ses', 'region' => 'eu-west-1', 'username' => 'AKIDTEST', 'password' => 'derived-smtp-password', 'api_key' => 'ses-test-secret' ) );
is( Settings::transport( 'primary' )['fallback'] ?? null, array( 'api' => 'ses', 'api_key' => 'AKIDTEST', 'secret' => 'ses-test-secret', 'region' => 'eu-west-1' ) + $endpoint, 'SES over SMTP with the secret access key: falls back to the API, the SMTP user name as access key ID' );
use_connection( array( 'preset' => 'mailgun_us', 'username' => 'postmaster@mg.example.com', 'password' => 'smtp-password' ) );
ok( ! isset( Settings::transport( 'primary' )['fallback'] ), 'Mailgun over SMTP without an API key: no fallback' );

// Over the API by choice.
use_connection( array( 'preset' => 'ses', 'transport' => 'api', 'region' => 'eu-west-1', 'username' => 'AKIDTEST', 'password' => 'ses-test-secret' ) );
$needle = marker( 'ses-api' );
ok( wp_mail( 'reader@example.com', "Over the SES API $needle", 'body' ), 'SES over its API: wp_mail() returns true' );
is( $GLOBALS['phpmailer']->smtpx_result['transport'] ?? null, 'ses+api', 'SES over its API: the extension says ses+api carried it' );
is( array_column( api_requests_with( $needle ), 'accepted' ), array( true ), 'SES over its API: the peer accepted one request (SigV4 verified)' );
is( Https_Fallback::last(), null, 'over the API by choice is no fallback' );
delete_transient( 'smtpx_health_probe' );
$health = Site_Health::test_connection();
ok( 'good' === $health['status'] && str_starts_with( $health['label'], 'smtpx reaches 127.0.0.1 over HTTPS (TLSv1.' ), 'Site Health: the API connection is reachable with verified TLS', $health['label'] );
set_transient( 'smtpx_probe_1', smtpx_probe( Settings::transport( 'primary' ) ), 60 );
ob_start();
Ports_Panel::render();
$html = (string) ob_get_clean();
delete_transient( 'smtpx_probe_1' );
ok( (bool) preg_match( '#HTTPS API \(ses\+api, https://127\.0\.0\.1:10443[^)]*\): reachable in [0-9.]+ s, TLSv1\.[23], certificate verified#', $html ), 'Ports panel: the HTTPS line', $html );
ok( ! str_contains( $html, 'No port of this server' ), 'Ports panel: no SMTP verdict for an API connection' );

// Over SMTP, blocked: Mailgun's login names the domain, the fallback key is the API key.
outbox_clear();
use_connection( array( 'preset' => 'mailgun_us', 'username' => 'postmaster@mg.example.com', 'password' => 'smtp-password', 'api_key' => 'mg-test-key' ) );
add_filter( 'smtpx_transport', __NAMESPACE__ . '\smtp_blocked' );
$needle = marker( 'mailgun-fallback' );
ok( wp_mail( 'reader@example.com', "SMTP blocked $needle", 'body' ), 'SMTP blocked: wp_mail() returns true' );
$result = $GLOBALS['phpmailer']->smtpx_result;
is( array( $result['transport'] ?? null, isset( $result['fallback_from'] ) ), array( 'mailgun+api', true ), 'SMTP blocked: Mailgun\'s API carried it, and the result says why' );
is( array_column( api_requests_with( $needle ), 'accepted' ), array( true ), 'SMTP blocked: the peer accepted it for mg.example.com' );
$note = Https_Fallback::last();
is( array( $note['transport'] ?? null, $note['connection'] ?? null ), array( 'mailgun+api', 'primary' ), 'SMTP blocked: noted for Site Health' );
$health = Site_Health::test_https_fallback();
is( $health['status'], 'recommended', 'Site Health: mail went over HTTPS because SMTP was blocked' );
ok( str_contains( $health['description'], 'mailgun+api' ) && str_contains( $health['description'], (string) $result['fallback_from'] ), 'Site Health: names the API and the SMTP failure', $health['description'] );
delete_transient( 'smtpx_health_probe' );
$health = Site_Health::test_connection();
is( array( $health['status'], $health['label'] ), array( 'recommended', 'smtpx sends over HTTPS: SMTP is blocked here' ), 'Site Health: no SMTP port usable, the fallback API reachable' );
delete_transient( 'smtpx_health_probe' );
$needle = marker( 'mailgun-remembered' );
wp_mail( 'reader@example.com', "Still blocked $needle", 'body' );
is( array( $GLOBALS['phpmailer']->smtpx_result['transport'] ?? null, isset( $GLOBALS['phpmailer']->smtpx_result['fallback_from'] ) ), array( 'mailgun+api', false ), 'the next send goes straight to the API (remembered)' );
ok( null !== Https_Fallback::last() && '' !== Https_Fallback::last()['reason'], 'the note keeps why SMTP failed' );
remove_filter( 'smtpx_transport', __NAMESPACE__ . '\smtp_blocked' );

// SMTP delivers again: the note is gone.
use_connection( postfix_submission() );
wp_mail( 'reader@example.com', 'SMTP again', 'body' );
is( $GLOBALS['phpmailer']->smtpx_result['transport'] ?? null, 'smtp', 'SMTP works: sent over SMTP' );
is( Https_Fallback::last(), null, 'SMTP works: the note is gone' );
is( Site_Health::test_https_fallback()['status'], 'good', 'Site Health: good again' );
outbox_clear();
