<?php
/**
 * Constants in wp-config.php win over the page: the fields they set are locked on
 * the page, their secrets are never written to the database, and mail uses them.
 */

namespace SmtpxTest;

use Smtpx\WordPress\Settings;
use Smtpx\WordPress\Settings_Page;

define( 'SMTPX_HOST', '127.0.0.1' );
define( 'SMTPX_PORTS', '10587' );
define( 'SMTPX_USER', 'alice' );
define( 'SMTPX_PASSWORD', 'wonderland-42' );
define( 'SMTPX_FROM', 'constant@example.com' );
define( 'SMTPX_FORCE_FROM', true );

require __DIR__ . '/../lib/bootstrap.php';
require_once ABSPATH . 'wp-admin/includes/template.php';
require_once ABSPATH . 'wp-admin/includes/plugin.php';

wp_set_current_user( 1 );
delete_option( Settings::OPTION );
Settings_Page::register();

// What the page holds loses to the constants.
update_option(
	Settings::OPTION,
	array(
		'primary'    => array(
			'preset'   => 'sendgrid',
			'host'     => 'page.example.com',
			'username' => 'page-user',
			'password' => 'page-secret',
		),
		'from_email' => 'page@example.com',
	)
);

is( Settings::source( 'host', 'primary' ), 'constant', 'SMTPX_HOST locks the host' );
is( Settings::source( 'password', 'primary' ), 'constant', 'SMTPX_PASSWORD locks the secret' );
is( Settings::source( 'from_email' ), 'constant', 'SMTPX_FROM locks the From address' );
$transport = Settings::transport( 'primary' );
is( array( $transport['host'] ?? null, $transport['username'] ?? null, $transport['password'] ?? null ), array( '127.0.0.1', 'alice', 'wonderland-42' ), 'the transport is built from the constants' );

global $wpdb;
$raw = (string) $wpdb->get_var( $wpdb->prepare( "SELECT option_value FROM {$wpdb->options} WHERE option_name = %s", Settings::OPTION ) );
ok( ! str_contains( $raw, 'wonderland-42' ), 'the constant\'s secret is never written to the database' );

ob_start();
do_settings_sections( Settings_Page::SLUG );
$html = (string) ob_get_clean();
ok( (bool) preg_match( '/id="smtpx_primary_host"[^>]*disabled/', $html ), 'the host field is shown locked' );
ok( str_contains( $html, 'Locked: set in wp-config.php.' ), 'the page says where the value comes from' );
ok( ! str_contains( $html, 'wonderland-42' ), 'the page never prints the constant\'s secret' );
ok( (bool) preg_match( '/id="smtpx_fallback_host"(?![^>]*disabled)/', $html ), 'fallback fields without constants stay editable' );

$marker = marker( 'constants' );
is( wp_mail( 'reader@example.com', 'Constants', 'body', array( "X-Smtpx-Test: $marker", 'From: Plugin <plugin@example.com>' ) ), true, 'mail goes through the constants\' connection' );
$copy = delivered( $marker )[0] ?? '';
is( header_value( $copy, 'From' ), 'Plugin <constant@example.com>', 'SMTPX_FORCE_FROM replaces a plugin\'s From address' );

// The extension's INI settings come between constants and the page: checked in a child without constants.
if ( false === ini_get( 'smtpx.dsn' ) ) {
	echo "ok 99 - the INI setting smtpx.dsn # SKIP the loaded smtpx has no INI settings\n";
} else {
	$child = tempnam( state_dir(), 'ini-child' );
	file_put_contents(
		$child,
		'<?php require "' . dirname( __DIR__ ) . '/lib/bootstrap.php";
		require_once ABSPATH . "wp-admin/includes/template.php";
		wp_set_current_user( 1 );
		Smtpx\WordPress\Settings_Page::register();
		ob_start();
		do_settings_sections( "smtpx" );
		$html = ob_get_clean();
		echo json_encode( array(
			"source"    => Smtpx\WordPress\Settings::source( "host", "primary" ),
			"transport" => Smtpx\WordPress\Settings::transport( "primary" ),
			"locked"    => str_contains( $html, "Locked: set by the server (smtpx.dsn)." ),
			"disabled"  => (bool) preg_match( "/id=\"smtpx_primary_host\"[^>]*disabled/", $html ),
			"secret"    => str_contains( $html, "wonderland-42" ),
		) );'
	);
	[ $status, $output ] = run_php( array( '-d', 'smtpx.dsn=smtp://alice:wonderland-42@127.0.0.1:10587', $child ) );
	unlink( $child );
	$ini = json_decode( $output, true );
	is( array( $ini['source'] ?? null, array_key_exists( 'transport', (array) $ini ) ? $ini['transport'] : 'missing' ), array( 'ini', null ), 'smtpx.dsn locks the connection and the INI defaults are used' );
	ok( ! empty( $ini['locked'] ) && ! empty( $ini['disabled'] ), 'the page shows the connection locked by the server' );
	ok( empty( $ini['secret'] ), 'the page never shows the DSN\'s password' );
}

delete_option( Settings::OPTION );
