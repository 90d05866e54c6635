<?php
/**
 * A password in wp-config.php (SMTPX_PASSWORD) without the host: the page's host,
 * ports and TLS are locked too, so nobody with the settings page (a site admin, a
 * stolen admin session) can send the wp-config.php password to a host of their own.
 */

namespace SmtpxTest;

use Smtpx\WordPress\Settings;
use Smtpx\WordPress\Settings_Page;

define( 'SMTPX_PASSWORD', 'wonderland-42' );
require __DIR__ . '/../lib/bootstrap.php';
require_once ABSPATH . 'wp-admin/includes/template.php';

wp_set_current_user( 1 );
// Stored as it was before the password moved to wp-config.php.
update_option( Settings::OPTION, array( 'primary' => array_diff_key( postfix_submission(), array( 'password' => '' ) ) ) );
Settings_Page::register();

is( array( Settings::source( 'host', 'primary' ), Settings::source( 'ports', 'primary' ), Settings::source( 'tls', 'primary' ) ), array( 'pinned', 'pinned', 'pinned' ), 'host, ports and TLS are locked' );
is( Settings::source( 'username', 'primary' ), 'option', 'the user name stays the page\'s' );
$transport = Settings::transport( 'primary' );
is( array( $transport['host'] ?? null, $transport['ports'] ?? null, $transport['password'] ?? null ), array( '127.0.0.1', array( 10587 ), 'wonderland-42' ), 'the transport: the page\'s host and ports, wp-config.php\'s password' );
$marker = marker( 'password-constant' );
is( wp_mail( 'reader@example.com', 'Pinned', 'body', array( "X-Smtpx-Test: $marker" ) ), true, 'mail goes out' );
is( count( delivered( $marker ) ), 1, 'delivered' );
outbox_clear();

// A crafted save (the disabled fields are not posted by the page) changes none of them.
update_option( Settings::OPTION, array( 'primary' => array( 'host' => 'attacker.example', 'ports' => '25', 'tls' => 'none', 'username' => 'bob' ) ) );
$transport = Settings::transport( 'primary' );
is( array( $transport['host'] ?? null, $transport['ports'] ?? null, $transport['tls'] ?? 'required' ), array( '127.0.0.1', array( 10587 ), 'required' ), 'a crafted save cannot move the password elsewhere' );
is( $transport['username'] ?? null, 'bob', 'the user name can still be changed' );

ob_start();
do_settings_sections( Settings_Page::SLUG );
$html = (string) ob_get_clean();
ok( (bool) preg_match( '/id="smtpx_primary_host"[^>]*disabled/', $html ) && (bool) preg_match( '/id="smtpx_primary_ports"[^>]*disabled/', $html ), 'the page shows host and ports locked' );
ok( str_contains( $html, 'wp-config.php holds the password, so it also decides where it is sent' ), 'and says why' );
ok( (bool) preg_match( '/id="smtpx_primary_username"(?![^>]*disabled)/', $html ), 'the user name field stays editable' );
delete_option( Settings::OPTION );
