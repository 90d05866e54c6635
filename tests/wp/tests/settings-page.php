<?php
/**
 * The settings page's storage: a secret saved from the page is stored encrypted,
 * an empty secret field keeps it (for the host and user it was saved for only),
 * "Remove" deletes it, the form never prints it
 * back, and the saved connection is the one mail goes through.
 */

namespace SmtpxTest;

use Smtpx\WordPress\Settings;
use Smtpx\WordPress\Settings_Page;

require __DIR__ . '/../lib/bootstrap.php';
require_once ABSPATH . 'wp-admin/includes/template.php';
require_once ABSPATH . 'wp-admin/includes/plugin.php';

wp_set_current_user( 1 );
delete_option( Settings::OPTION );
Settings_Page::register();

/** The stored option as the database holds it. */
function raw_option(): string {
	global $wpdb;
	return (string) $wpdb->get_var( $wpdb->prepare( "SELECT option_value FROM {$wpdb->options} WHERE option_name = %s", Settings::OPTION ) );
}

/** The settings form as the page prints it. */
function form(): string {
	ob_start();
	do_settings_sections( Settings_Page::SLUG );
	return (string) ob_get_clean();
}

$secret = 'wonderland-42';
$form   = array(
	'primary'    => array(
		'preset'   => 'other',
		'host'     => '127.0.0.1',
		'ports'    => '10587',
		'auth'     => 'password',
		'username' => 'alice',
		'password' => $secret,
		'tls'      => 'required',
	),
	'fallback'   => array( 'preset' => '' ),
	'from_email' => 'site@example.com',
	'from_name'  => 'Example Site',
);
update_option( Settings::OPTION, $form );

ok( '' !== raw_option() && ! str_contains( raw_option(), $secret ), 'the secret is not stored in plain text', raw_option() );
ok( str_contains( raw_option(), 'smtpx2:' ), 'the secret is stored sealed' );
is( Settings::value( 'password', 'primary' ), $secret, 'the sealed secret opens to what was typed' );
is( Settings::source( 'host', 'primary' ), 'option', 'fields come from the page without constants' );
is( Settings::transport( 'primary' )['ports'] ?? null, array( 10587 ), 'ports are parsed' );

$html = form();
ok( ! str_contains( $html, $secret ), 'the form never prints the secret' );
ok( str_contains( $html, 'Saved; leave empty to keep it' ), 'the form says a secret is saved' );
ok( str_contains( $html, 'value="127.0.0.1"' ), 'the form shows the host' );
ok( ! str_contains( $html, 'disabled' ), 'nothing is locked without constants' );

$form['primary']['password'] = '';
update_option( Settings::OPTION, $form );
is( Settings::value( 'password', 'primary' ), $secret, 'an empty secret field keeps the saved secret' );

$form['from_email'] = 'site@example.com';
$marker             = marker( 'page' );
is( wp_mail( 'reader@example.com', 'Saved settings', 'body', array( "X-Smtpx-Test: $marker" ) ), true, 'mail goes through the saved connection' );
$copy = delivered( $marker )[0] ?? '';
is( header_value( $copy, 'From' ), 'Example Site <site@example.com>', 'the configured From replaces WordPress\'s default' );

$form['primary']['clear_password'] = '1';
update_option( Settings::OPTION, $form );
is( Settings::value( 'password', 'primary' ), '', '"Remove the saved secret" removes it' );

$form['primary']['preset'] = 'not-a-preset';
$form['primary']['host']   = 'bad host; rm -rf';
$form['primary']['ports']  = '587, abc, 465/tls';
update_option( Settings::OPTION, $form );
$stored = Settings::stored()['primary'];
is( array( $stored['preset'], $stored['host'], $stored['ports'] ), array( '', '', '587, 465/tls' ), 'unknown presets, bad hosts and bad ports are not stored' );

delete_option( Settings::OPTION );

// Sending and alerts: saved from the form; with DISABLE_WP_CRON (this site has it) the page gives the cron line.
update_option( Settings::OPTION, array_merge( $form, array( 'queue' => '1', 'alert_email' => 'ops@example.com', 'alert_webhook' => 'javascript:alert(1)' ) ) );
is( array( Settings::value( 'queue' ), Settings::value( 'alert_email' ), Settings::value( 'alert_webhook' ) ), array( true, 'ops@example.com', '' ), 'sending and alerts are saved, a webhook that is not http(s) is refused' );
update_option( Settings::OPTION, $form );
is( Settings::value( 'queue' ), false, 'background sending is off again when the box is not ticked' );
$html = form();
ok( str_contains( $html, "<code>* * * * * curl -fsS -o /dev/null &#039;" . site_url( 'wp-cron.php?doing_wp_cron' ) . '&#039;</code>' ), 'DISABLE_WP_CRON: the page gives the cron line for this site' );
ok( str_contains( $html, 'id="smtpx_queue"' ) && str_contains( $html, 'id="smtpx_alert_webhook"' ) && str_contains( $html, 'type="url"' ), 'the form has the sending and alert fields' );

// A secret is bound to the host and user it was saved for.
delete_option( Settings::OPTION );
$bound = array(
	'primary'    => postfix_submission( $secret ),
	'from_email' => 'site@example.com',
);
update_option( Settings::OPTION, $bound );
is( Settings::value( 'password', 'primary' ), $secret, 'bound: the secret opens for its own host and user' );
$moved                        = $bound;
$moved['primary']['host']     = 'attacker.example';
$moved['primary']['password'] = '';
update_option( Settings::OPTION, $moved );
is( Settings::stored()['primary']['password'], '', 'a changed host drops the saved secret' );
ok( in_array( 'smtpx_secret_binding', array_column( get_settings_errors( Settings::OPTION ), 'code' ), true ), 'and asks for it again' );
update_option( Settings::OPTION, $bound );
$copied             = get_option( Settings::OPTION );
$copied['fallback'] = array_merge( $copied['primary'], array( 'host' => 'attacker.example' ) );
remove_all_filters( 'sanitize_option_' . Settings::OPTION );
update_option( Settings::OPTION, $copied );
is( Settings::value( 'password', 'primary' ), $secret, 'where it was saved, it opens' );
is( Settings::value( 'password', 'fallback' ), '', 'copied to a connection with another host, it does not' );
ok( Settings::secret_unreadable( 'fallback' ), 'and the copy is reported as unreadable, so nothing is sent with it' );
delete_option( Settings::OPTION );
