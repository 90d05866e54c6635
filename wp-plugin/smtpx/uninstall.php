<?php
/**
 * Removes everything the plugin stored when it is deleted from the Plugins screen:
 * its options, transients, outbox table (the email log) and cron events on every
 * site, and the network's settings.
 *
 * @package Smtpx
 */

defined( 'WP_UNINSTALL_PLUGIN' ) || exit;

/**
 * Deletes the plugin's options, transients, table and event of the current site.
 */
function smtpx_uninstall_site() {
	global $wpdb;
	$wpdb->query( "DROP TABLE IF EXISTS {$wpdb->prefix}smtpx_outbox" );
	wp_clear_scheduled_hook( 'smtpx_queue_run' );
	wp_clear_scheduled_hook( 'smtpx_log_prune' );
	foreach ( array( 'smtpx_settings', 'smtpx_oauth', 'smtpx_recent_failures', 'smtpx_https_fallback', 'smtpx_conflicts', 'smtpx_outbox_schema', 'smtpx_dkim' ) as $option ) {
		delete_option( $option );
	}
	// Per-user test and probe results: no API deletes transients by prefix.
	$wpdb->query( "DELETE FROM {$wpdb->options} WHERE option_name LIKE '\\_transient\\_smtpx\\_%' OR option_name LIKE '\\_transient\\_timeout\\_smtpx\\_%'" );
}

if ( is_multisite() ) {
	foreach ( get_sites( array( 'fields' => 'ids', 'number' => 0 ) ) as $smtpx_site_id ) {
		switch_to_blog( $smtpx_site_id );
		smtpx_uninstall_site();
		restore_current_blog();
	}
	delete_site_option( 'smtpx_settings' );
} else {
	smtpx_uninstall_site();
}
