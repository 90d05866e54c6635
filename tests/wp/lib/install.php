<?php
/**
 * Installs WordPress once (wp_install(), no web installer) and activates the smtpx
 * plugin. Run by tests/wp/run; safe to run again.
 */

$_SERVER['HTTP_HOST']   = '127.0.0.1:' . ( getenv( 'SMTPX_WP_PORT' ) ?: '18080' );
$_SERVER['REQUEST_URI'] = '/';
define( 'WP_INSTALLING', true );
require '/usr/share/wordpress/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
require_once ABSPATH . 'wp-admin/includes/plugin.php';

// wp_install() mails the new site's owner through the system's sendmail; not here.
function wp_new_blog_notification() {}

if ( ! is_blog_installed() ) {
	$installed = wp_install( 'smtpx test site', 'admin', 'admin@example.com', false, '', 'admin-pass-42' );
	echo "installed WordPress, admin user id {$installed['user_id']}\n";
}
$activated = activate_plugin( 'smtpx/smtpx.php' );
if ( is_wp_error( $activated ) ) {
	fwrite( STDERR, 'activating smtpx failed: ' . $activated->get_error_message() . "\n" );
	exit( 1 );
}
echo 'active plugins: ' . implode( ', ', get_option( 'active_plugins' ) ) . "\n";
