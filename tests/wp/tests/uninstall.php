<?php
/**
 * uninstall.php removes every option and transient the plugin stored, its outbox
 * table and its cron event.
 */

namespace SmtpxTest;

require __DIR__ . '/../lib/bootstrap.php';

update_option( 'smtpx_settings', array( 'from_email' => 'x@example.com' ) );
update_option( 'smtpx_recent_failures', array( array( 'phase' => 'auth' ) ) );
update_option( 'smtpx_conflicts', array( 'mailer' => 'smtp' ) );
update_option( 'smtpx_dkim', array( 'private_key' => 'smtpx2:sealed' ) );
set_transient( 'smtpx_test_1', array( 'ok' => true ), 60 );

define( 'WP_UNINSTALL_PLUGIN', 'smtpx/smtpx.php' );
include WP_PLUGIN_DIR . '/smtpx/uninstall.php';
wp_cache_flush();

foreach ( array( 'smtpx_settings', 'smtpx_recent_failures', 'smtpx_conflicts', 'smtpx_dkim' ) as $option ) {
	is( get_option( $option, 'gone' ), 'gone', "$option is removed" );
}
is( get_transient( 'smtpx_test_1' ), false, 'test results are removed' );
global $wpdb;
is( $wpdb->get_var( $wpdb->prepare( 'SHOW TABLES LIKE %s', $wpdb->prefix . 'smtpx_outbox' ) ), null, 'the outbox table is dropped' );
is( get_option( 'smtpx_outbox_schema', 'gone' ), 'gone', 'smtpx_outbox_schema is removed' );
is( wp_next_scheduled( 'smtpx_queue_run' ), false, 'the smtpx_queue_run event is removed' );
