<?php
/**
 * Installs a multisite network once, in the same database as the single site but
 * with tables wpms_, as Network Setup (wp-admin/network.php) would: a single site
 * first (SMTPX_MS_SETUP keeps MULTISITE off), then the network tables and a second
 * site, with smtpx network-activated. CLI tests reach it with WORDPRESS_CONFIG and
 * the host ms.smtpx.test. Safe to run again.
 *
 *   php install-multisite.php setup     the single site and the network tables
 *   php install-multisite.php network   (MULTISITE on) the second site and activation
 */

$_SERVER['HTTP_HOST']   = 'ms.smtpx.test';
$_SERVER['REQUEST_URI'] = '/';
$phase                  = $argv[1] ?? '';

if ( 'setup' === $phase ) {
	define( 'SMTPX_MS_SETUP', true );
	define( 'WP_INSTALLING', true );
	require '/usr/share/wordpress/wp-load.php';
	// wp_install() mails the new site's owner through the system's sendmail; not here.
	function wp_new_blog_notification() {}
	require_once ABSPATH . 'wp-admin/includes/upgrade.php';
	if ( ! is_blog_installed() ) {
		wp_install( 'smtpx network', 'admin', 'admin@example.com', false, '', 'admin-pass-42' );
	}
	foreach ( $wpdb->tables( 'ms_global' ) as $table => $prefixed_table ) {
		$wpdb->$table = $prefixed_table;
	}
	if ( ! $wpdb->get_var( "SHOW TABLES LIKE '{$wpdb->site}'" ) ) {
		install_network();
		$result = populate_network( 1, 'ms.smtpx.test', 'admin@example.com', 'smtpx network', '/', false );
		if ( is_wp_error( $result ) ) {
			fwrite( STDERR, $result->get_error_message() . "\n" );
			exit( 1 );
		}
	}
	echo "network tables ready\n";
	exit;
}

require '/usr/share/wordpress/wp-load.php';
if ( ! get_sites( array( 'path' => '/second/', 'count' => true ) ) ) {
	$site = wp_insert_site(
		array(
			'domain'  => 'ms.smtpx.test',
			'path'    => '/second/',
			'title'   => 'Second site',
			'user_id' => 1,
		)
	);
	if ( is_wp_error( $site ) ) {
		fwrite( STDERR, $site->get_error_message() . "\n" );
		exit( 1 );
	}
}
update_site_option( 'active_sitewide_plugins', array( 'smtpx/smtpx.php' => time() ) );
echo "network ready: sites " . implode( ', ', get_sites( array( 'fields' => 'ids' ) ) ) . "\n";
