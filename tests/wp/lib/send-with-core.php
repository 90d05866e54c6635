<?php
/**
 * Sends every case of cases.php with WordPress's own mail path, the smtpx plugin
 * not loaded, PHPMailer's SMTP client pointed at a capture server:
 *   php send-with-core.php PORT RUN
 * Prints "sent NAME" or "failed NAME: error" per case.
 */

namespace SmtpxTest;

$smtpx_plugin_active = false;
require __DIR__ . '/bootstrap.php';
require __DIR__ . '/cases.php';

[ , $port, $run ] = $argv;
if ( class_exists( \Smtpx\WordPress\Plugin::class, false ) ) {
	echo "failed: the plugin is loaded\n";
	exit( 1 );
}
add_action(
	'phpmailer_init',
	static function ( $phpmailer ) use ( $port ) {
		$phpmailer->isSMTP();
		$phpmailer->Host        = '127.0.0.1';
		$phpmailer->Port        = (int) $port;
		$phpmailer->SMTPAutoTLS = false;
		$phpmailer->SMTPAuth    = false;
	},
	PHP_INT_MAX
);
add_action(
	'wp_mail_failed',
	static function ( $error ) {
		echo 'error: ' . $error->get_error_message() . "\n";
	}
);
foreach ( cases() as $name => $case ) {
	echo ( send_case( $case, "$run-$name" ) ? 'sent' : 'failed' ) . " $name\n";
}
