<?php
/**
 * The Deliverability panel and its Site Health test, on zones served by a DNS server of
 * the test's own: a good domain (SPF allows the provider, the DKIM key published, DMARC
 * p=reject, MX), a broken one (SPF without the provider, another DKIM key, no DMARC, no
 * MX) and one that lacks only DMARC; each finding shown with the exact record to
 * publish and a copy button; Site Health critical, recommended and good, asynchronous
 * and read from the kept report (the DNS is not asked on every load); without the
 * extension the panel says what it needs.
 */

namespace SmtpxTest;

use Smtpx\WordPress\Deliverability_Panel;
use Smtpx\WordPress\Dkim_Key;
use Smtpx\WordPress\Dkim_Settings;
use Smtpx\WordPress\Domain_Check;
use Smtpx\WordPress\Site_Health;

if ( 'child' === ( $argv[1] ?? '' ) ) {
	require __DIR__ . '/../lib/bootstrap.php';
	require_once ABSPATH . 'wp-admin/includes/template.php'; // submit_button().
	define( 'SMTPX_DNS_NAMESERVER', $argv[2] );
	use_connection( array( 'preset' => 'sendgrid', 'password' => 'SG.key' ), array(), array( 'from_email' => 'site@good.example' ) );
	Domain_Check::forget();
	ob_start();
	Deliverability_Panel::render();
	$before = ob_get_clean();
	$health = Site_Health::test_deliverability();
	ob_start();
	Deliverability_Panel::render();
	echo json_encode(
		array(
			'extension' => function_exists( 'smtpx_domain_check' ),
			'before'    => $before,
			'after'     => ob_get_clean(),
			'health'    => $health,
		)
	);
	Domain_Check::forget();
	exit;
}

require __DIR__ . '/../lib/bootstrap.php';
require __DIR__ . '/../lib/dns.php';
require_once ABSPATH . 'wp-admin/includes/template.php'; // submit_button().

if ( ! extension_loaded( 'smtpx' ) ) {
	echo "ok 1 - the domain check # SKIP the extension is not loaded\n";
	exit;
}

$pem = Dkim_Key::generate( Dkim_Key::ED25519 );
Dkim_Settings::store( 'good.example', 'smtpx1', $pem );
$key    = Dkim_Settings::key();
$record = Dkim_Key::record_value( $key['algorithm'], $key['public_key'] );
$other  = Dkim_Key::describe( Dkim_Key::generate( Dkim_Key::ED25519 ) );
$zone   = array(
	'good.example'                  => array(
		'TXT' => array( 'v=spf1 include:sendgrid.net -all' ),
		'MX'  => array( array( 10, 'mx.good.example' ) ),
	),
	'sendgrid.net'                  => array( 'TXT' => array( 'v=spf1 ip4:167.89.0.0/17 -all' ) ),
	'mailgun.org'                   => array( 'TXT' => array( 'v=spf1 ip4:198.61.254.0/23 -all' ) ),
	'smtpx1._domainkey.good.example' => array( 'TXT' => array( $record ) ),
	'_dmarc.good.example'           => array( 'TXT' => array( 'v=DMARC1; p=reject; rua=mailto:dmarc@good.example' ) ),
	'broken.example'                => array( 'TXT' => array( 'v=spf1 include:mailgun.org -all' ) ),
	'smtpx1._domainkey.broken.example' => array( 'TXT' => array( Dkim_Key::record_value( Dkim_Key::ED25519, $other['public_key'] ) ) ),
	'nodmarc.example'               => array(
		'TXT' => array( 'v=spf1 include:sendgrid.net -all' ),
		'MX'  => array( array( 10, 'mx.nodmarc.example' ) ),
	),
	'smtpx1._domainkey.nodmarc.example' => array( 'TXT' => array( $record ) ),
);
$dns = start_dns( $zone );
define( 'SMTPX_DNS_NAMESERVER', $dns['nameserver'] );

/** The panel's rows: "CHECK severity: sentence [record]", and the copy buttons' texts. */
function panel( string $from_domain, string $dkim_domain ): array {
	global $pem;
	Dkim_Settings::store( $dkim_domain, 'smtpx1', $pem );
	use_connection( array( 'preset' => 'sendgrid', 'password' => 'SG.key' ), array(), array( 'from_email' => "site@$from_domain" ) );
	Domain_Check::report( true );
	ob_start();
	Deliverability_Panel::render();
	$html = ob_get_clean();
	preg_match_all( '#<tr class="smtpx-finding smtpx-(\w+)" data-check="(\w+)">.*?</tr>#s', $html, $rows, PREG_SET_ORDER );
	$lines = array();
	foreach ( $rows as $row ) {
		$cells   = array();
		preg_match_all( '#<td>(.*?)</td>#s', $row[0], $cells );
		$code    = preg_match( '#<code[^>]*>(.*?)</code>#s', $cells[1][3], $m ) ? ' [' . html_entity_decode( $m[1], ENT_QUOTES ) . ']' : '';
		$copy    = preg_match( '#data-copy="([^"]*)"#', $cells[1][3], $c ) ? html_entity_decode( $c[1], ENT_QUOTES ) : null;
		$lines[] = "{$row[2]} {$row[1]}: " . html_entity_decode( $cells[1][2], ENT_QUOTES ) . $code . ( null !== $copy && '' !== $code && " [$copy]" !== $code ? ' (copy differs)' : '' );
	}
	return array( $lines, $html );
}

[ $good, $html ] = panel( 'good.example', 'good.example' );
is(
	$good,
	array(
		'spf ok: SPF authorizes the provider (sendgrid.net).',
		'dkim ok: The DKIM key at smtpx1._domainkey.good.example matches the signing key.',
		'dmarc ok: DMARC policy p=reject.',
		'mx ok: good.example receives mail (MX mx.good.example).',
	),
	'good domain: every check is OK'
);
ok( str_contains( $html, 'id="smtpx-deliverability"' ) && str_contains( $html, 'name="action" value="smtpx_domain_check"' ) && str_contains( $html, 'name="_wpnonce"' ), 'the panel has its button, with a nonce' );
is( Site_Health::test_deliverability()['status'], 'good', 'good domain: Site Health good' );

[ $broken ] = panel( 'broken.example', 'broken.example' );
is(
	$broken,
	array(
		'spf error: SPF does not authorize the provider this site sends through: add include:sendgrid.net. [broken.example TXT "v=spf1 include:mailgun.org include:sendgrid.net -all"]',
		'dkim error: The key published at smtpx1._domainkey.broken.example is not the one smtpx signs with: publish this one (or set the matching key). [smtpx1._domainkey.broken.example TXT "' . $record . '"]',
		'dmarc warning: broken.example publishes no DMARC policy: Gmail and Yahoo require one from bulk senders, and without it nobody tells you about forged mail. [_dmarc.broken.example TXT "v=DMARC1; p=none; rua=mailto:dmarc-reports@broken.example"]',
		'mx warning: broken.example has no MX record: replies and bounces to it cannot be delivered, and some receivers distrust such senders.',
	),
	'broken domain: SPF without the provider and another DKIM key are problems, no DMARC and no MX warnings, each with the record to publish (the copy button copies the same text)'
);
$health = Site_Health::test_deliverability();
is( $health['status'], 'critical', 'broken domain: Site Health critical' );
ok( str_contains( $health['description'], 'add include:sendgrid.net' ) && str_contains( $health['description'], 'not the one smtpx signs with' ) && ! str_contains( $health['description'], 'DMARC' ), 'broken domain: Site Health names the problems', $health['description'] );

panel( 'nodmarc.example', 'nodmarc.example' );
$health = Site_Health::test_deliverability();
is( $health['status'], 'recommended', 'DMARC missing only: Site Health recommended' );
ok( str_contains( $health['description'], '_dmarc.nodmarc.example TXT' ), 'DMARC missing only: with the record to publish', $health['description'] );

// The kept report: Site Health does not ask the DNS again until the settings change or the panel's button.
set_zone( $dns['zone'], array() );
is( Site_Health::test_deliverability()['status'], 'recommended', 'Site Health reads the kept report: a DNS change is not seen on the next load' );
Domain_Check::report( true );
is( Site_Health::test_deliverability()['status'], 'critical', 'Check domain asks again: now SPF is missing' );
set_zone( $dns['zone'], $zone );

$tests = apply_filters( 'site_status_tests', array( 'direct' => array(), 'async' => array() ) );
ok( isset( $tests['async']['smtpx_deliverability'] ) && ! isset( $tests['direct']['smtpx_deliverability'] ) && str_ends_with( (string) $tests['async']['smtpx_deliverability']['test'], 'smtpx/v1/site-health/deliverability' ), 'the Site Health test is asynchronous, through REST' );
$request = new \WP_REST_Request( 'GET', '/smtpx/v1/site-health/deliverability' );
wp_set_current_user( 0 );
is( rest_do_request( $request )->get_status(), 401, 'REST: refused to visitors' );
wp_set_current_user( 1 );
$response = rest_do_request( $request );
is( array( $response->get_status(), $response->get_data()['test'] ?? null ), array( 200, 'smtpx_deliverability' ), 'REST: the result for an administrator' );

use_connection( array( 'preset' => 'sendgrid', 'password' => 'SG.key' ), array(), array( 'from_email' => 'site@localhost' ) );
$health = Site_Health::test_deliverability();
ok( 'recommended' === $health['status'] && str_contains( $health['description'], 'not on a domain name (localhost)' ), 'a From address on no domain: recommended, saying what to set', $health['description'] );

// Without the extension: the panel says what it needs, and only the DKIM record is checked.
Dkim_Settings::store( 'good.example', 'smtpx1', $pem );
[ $status, $output ] = run_php( array( __FILE__, 'child', $dns['nameserver'] ), array() );
$child = json_decode( $output, true );
if ( ok( is_array( $child ), 'without the extension: the child ran', $output ) ) {
	is( $child['extension'], false, 'without the extension: no smtpx_domain_check()' );
	ok( str_contains( $child['before'], 'Checking SPF, DMARC and MX needs the smtpx extension' ) && ! str_contains( $child['before'], 'smtpx-findings' ), 'without the extension: the panel says so, and asks no DNS on page load' );
	ok( str_contains( $child['after'], 'The DKIM key at smtpx1._domainkey.good.example matches the signing key.' ) && 1 === substr_count( $child['after'], 'class="smtpx-finding ' ), 'without the extension: the DKIM record is checked by the plugin', $child['after'] );
	is( $child['health']['status'], 'good', 'without the extension: Site Health good for a published DKIM key' );
	ok( str_contains( $child['health']['description'], 'needs the smtpx extension' ), 'without the extension: Site Health says the rest needs the extension' );
}

Dkim_Settings::forget();
Domain_Check::forget();
