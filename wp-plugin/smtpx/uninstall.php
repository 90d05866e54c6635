<?php
/**
 * Removes everything the plugin stored when it is deleted from the Plugins screen.
 *
 * @package Smtpx
 */

defined( 'WP_UNINSTALL_PLUGIN' ) || exit;

foreach ( array( 'smtpx_settings', 'smtpx_recent_failures', 'smtpx_conflicts' ) as $smtpx_option ) {
	delete_option( $smtpx_option );
	delete_site_option( $smtpx_option );
}
global $wpdb;
// Per-user test and probe results.
$wpdb->query( "DELETE FROM {$wpdb->options} WHERE option_name LIKE '\\_transient\\_smtpx\\_%' OR option_name LIKE '\\_transient\\_timeout\\_smtpx\\_%'" ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery -- no API deletes transients by prefix.
