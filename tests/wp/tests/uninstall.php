<?php
/**
 * uninstall.php removes every option and transient the plugin stored.
 */

namespace SmtpxTest;

require __DIR__ . '/../lib/bootstrap.php';

update_option( 'smtpx_settings', array( 'from_email' => 'x@example.com' ) );
update_option( 'smtpx_recent_failures', array( array( 'phase' => 'auth' ) ) );
update_option( 'smtpx_conflicts', array( 'mailer' => 'smtp' ) );
set_transient( 'smtpx_test_1', array( 'ok' => true ), 60 );

define( 'WP_UNINSTALL_PLUGIN', 'smtpx/smtpx.php' );
include WP_PLUGIN_DIR . '/smtpx/uninstall.php';
wp_cache_flush();

foreach ( array( 'smtpx_settings', 'smtpx_recent_failures', 'smtpx_conflicts' ) as $option ) {
	is( get_option( $option, 'gone' ), 'gone', "$option is removed" );
}
is( get_transient( 'smtpx_test_1' ), false, 'test results are removed' );
