<?php
/**
 * Multisite: the network's settings apply to every site without settings of its
 * own; a site's own settings override them for that site only; the network page
 * shows the network's values (never the secret); "Sites may not override" keeps every site
 * on the network's settings; every site logs its mail in an outbox
 * table of its own, created on its first load; uninstall cleans every site.
 */

namespace SmtpxTest;

use Smtpx\WordPress\Network_Page;
use Smtpx\WordPress\Settings;
use Smtpx\WordPress\Settings_Page;

$smtpx_multisite = true;
require __DIR__ . '/../lib/bootstrap.php';
require_once ABSPATH . 'wp-admin/includes/template.php';
require_once ABSPATH . 'wp-admin/includes/plugin.php';

ok( is_multisite() && 2 === count( get_sites( array( 'fields' => 'ids' ) ) ), 'a network of two sites' );
ok( class_exists( Settings::class ), 'smtpx is network-activated' );
wp_set_current_user( 1 );
delete_site_option( Settings::OPTION );
foreach ( get_sites( array( 'fields' => 'ids' ) ) as $site_id ) {
	delete_blog_option( $site_id, Settings::OPTION );
}
Settings_Page::register();

// Saved as the network page saves.
Settings::use_network_scope( true );
update_site_option( Settings::OPTION, Settings_Page::sanitize( array( 'primary' => postfix_submission() ) ) );
Settings::use_network_scope( false );
ok( ! str_contains( (string) wp_json_encode( get_site_option( Settings::OPTION ) ), 'wonderland-42' ), 'the network\'s secret is stored sealed' );

ok( Settings::inherits_network(), 'the main site uses the network\'s settings' );
is( Settings::transport( 'primary' )['host'] ?? null, '127.0.0.1', 'the main site\'s transport is the network\'s' );
$marker = marker( 'network' );
is( wp_mail( 'reader@example.com', 'Network settings', 'body', array( "X-Smtpx-Test: $marker" ) ), true, 'the main site sends through the network\'s connection' );
is( count( delivered( $marker ) ), 1, 'delivered' );

switch_to_blog( 2 );
ok( Settings::inherits_network(), 'the second site uses the network\'s settings' );
// A site admin saves the form shown with the network's values and an empty password, then
// points the connection elsewhere: the network's secret must not come along.
$saved = Settings_Page::sanitize( array( 'primary' => array_merge( postfix_submission( '' ), array( 'host' => 'attacker.example' ) ) ) );
is( $saved['primary']['password'], '', 'a site saving its own settings does not inherit the network\'s secret' );
ok( ! str_contains( (string) wp_json_encode( $saved ), (string) get_site_option( Settings::OPTION )['primary']['password'] ), 'nor its sealed form' );
update_option( Settings::OPTION, Settings_Page::sanitize( array( 'primary' => array( 'preset' => 'sendgrid', 'password' => 'SG.site-two-key' ) ) ) );
ok( ! Settings::inherits_network(), 'a site that saves has settings of its own' );
is( Settings::transport( 'primary' )['host'] ?? null, 'smtp.sendgrid.net', 'its own settings override the network\'s' );
is( Settings::transport( 'primary' )['username'] ?? null, 'apikey', 'SendGrid\'s fixed user name' );
restore_current_blog();
is( Settings::transport( 'primary' )['host'] ?? null, '127.0.0.1', 'the main site keeps the network\'s' );

ob_start();
Network_Page::render();
$html = (string) ob_get_clean();
ok( str_contains( $html, 'smtpx for the network' ) && str_contains( $html, 'value="127.0.0.1"' ), 'the network page shows the network\'s values' );
ok( ! str_contains( $html, 'wonderland-42' ), 'the network page never prints the secret' );
ok( str_contains( $html, 'edit.php?action=' . Network_Page::SAVE_ACTION ) && str_contains( $html, '_wpnonce' ), 'the network form posts to its action with a nonce' );

switch_to_blog( 2 );
delete_option( Settings::OPTION );
ok( Settings::inherits_network(), 'removing the site\'s own settings returns it to the network\'s' );
// The site's first load (init) creates its outbox; its mail is logged there, not in the main site's.
\Smtpx\WordPress\Plugin::upgrade();
global $wpdb;
$site_table = \Smtpx\WordPress\Outbox_Schema::table();
is( $site_table, $wpdb->base_prefix . '2_smtpx_outbox', 'the second site has an outbox table of its own' );
ok( $site_table === $wpdb->get_var( $wpdb->prepare( 'SHOW TABLES LIKE %s', $site_table ) ), 'created on its first load' );
$marker = marker( 'site-two' );
wp_mail( 'reader@example.com', 'From site two', 'body', array( "X-Smtpx-Test: $marker" ) );
is( array_column( outbox_rows(), 'subject' ), array( 'From site two' ), 'the second site logs its mail in its own outbox' );
ok( false !== wp_next_scheduled( 'smtpx_queue_run' ), 'and has its own smtpx_queue_run event' );
update_option( Settings::OPTION, array( 'from_email' => 'two@example.com' ) );
restore_current_blog();
ok( ! in_array( 'From site two', array_column( outbox_rows(), 'subject' ), true ), 'the main site\'s outbox does not have it' );

// "Sites may not override": every site uses the network's settings, and cannot save its own.
Settings::use_network_scope( true );
update_site_option( Settings::OPTION, Settings_Page::sanitize( array( 'primary' => postfix_submission(), 'from_email' => '', 'lock_sites' => '1' ) ) );
Settings::use_network_scope( false );
ok( Settings::sites_locked(), 'locked: the network does not let sites override' );
switch_to_blog( 2 );
ok( Settings::inherits_network(), 'locked: a site with settings of its own uses the network\'s' );
is( Settings::transport( 'primary' )['host'] ?? null, '127.0.0.1', 'locked: and sends through the network\'s connection' );
$before = get_option( Settings::OPTION );
update_option( Settings::OPTION, array( 'primary' => array( 'preset' => 'other', 'host' => 'attacker.example' ) ) );
is( get_option( Settings::OPTION ), $before, 'locked: a site\'s save changes nothing' );
ob_start();
Settings_Page::render();
$page = (string) ob_get_clean();
ok( str_contains( $page, 'smtpx-sites-locked' ) && ! str_contains( $page, 'id="smtpx-settings-form"' ), 'locked: the site\'s page says so and has no settings form' );
restore_current_blog();
Settings::use_network_scope( true );
ob_start();
Network_Page::render();
ok( str_contains( (string) ob_get_clean(), 'id="smtpx_lock_sites" name="smtpx_settings[lock_sites]" value="1" checked=\'checked\'' ), 'locked: the network page shows the setting ticked' );
Settings::use_network_scope( false );

// A site administrator's test email may not reach the server's own network (the
// network's connection here is on 127.0.0.1); the network's administrator's may.
$site_admin = username_exists( 'smtpx-site-admin' ) ?: wp_insert_user(
	array(
		'user_login' => 'smtpx-site-admin',
		'user_pass'  => wp_generate_password(),
		'user_email' => 'site-admin@example.com',
	)
);
add_user_to_blog( 2, $site_admin, 'administrator' );
switch_to_blog( 2 );
wp_set_current_user( $site_admin );
ok( current_user_can( 'manage_options' ) && \Smtpx\WordPress\Private_Targets::restricted(), 'a site administrator\'s checks are restricted' );
add_filter(
	'wp_redirect',
	static function ( $location ) {
		throw new \RuntimeException( "redirect $location" );
	}
);
$_POST    = array(
	'smtpx_test_to' => 'reader@example.com',
	'_wpnonce'      => wp_create_nonce( \Smtpx\WordPress\Test_Email::ACTION ),
);
$_REQUEST = $_POST;
try {
	\Smtpx\WordPress\Test_Email::handle();
} catch ( \RuntimeException ) { // The redirect back to the page: the outcome is stored.
	$_POST = array();
}
$outcome = get_transient( 'smtpx_test_' . $site_admin );
ok( false === ( $outcome['ok'] ?? null ) && str_contains( (string) ( $outcome['message'] ?? '' ), 'is an internal address (127.0.0.1)' ), 'the test email to an internal address is refused, and says why', var_export( $outcome, true ) );
ok( ! isset( $outcome['result'] ), 'nothing was sent' );
wp_set_current_user( 1 );
is( \Smtpx\WordPress\Private_Targets::refusal(), null, 'the network\'s administrator may check it' );
restore_current_blog();

define( 'WP_UNINSTALL_PLUGIN', 'smtpx/smtpx.php' );
include WP_PLUGIN_DIR . '/smtpx/uninstall.php';
wp_cache_flush();
is( get_site_option( Settings::OPTION, 'gone' ), 'gone', 'uninstall removes the network\'s settings' );
is( get_blog_option( 2, Settings::OPTION, 'gone' ), 'gone', 'and every site\'s' );
is( $wpdb->get_var( $wpdb->prepare( 'SHOW TABLES LIKE %s', $site_table ) ), null, 'and every site\'s outbox table' );
