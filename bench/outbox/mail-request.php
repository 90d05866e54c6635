<?php
/**
 * bench/run's outbox scenario, as a must-use plugin of the benchmark's own WordPress: a
 * request to /?smtpx_bench=MODE sends one form notification with wp_mail() once the main
 * query has run (template_redirect, where a contact form plugin handles its POST; first,
 * before core's canonical redirect) and answers "sent". How long wp_mail() took, in milliseconds, is appended to
 * latency-MODE.txt in the site's state directory (one line a request): that is what the
 * visitor waits for the mail, apart from the rest of the page.
 *
 * MODE:
 *   background  the plugin with background sending on: stored, sent after the response
 *   sync        the plugin with background sending off: stored and sent in the request
 *   core        the plugin inactive: core's PHPMailer, told in phpmailer_init to use SMTP
 *               to the same server, as SMTP plugins without smtpx configure it
 *
 * The server is the plugin's primary connection in the smtpx_settings option (bench/run
 * stores it), read raw in core mode, where the plugin is not loaded.
 */

$smtpx_bench_mode = isset( $_GET['smtpx_bench'] ) ? (string) $_GET['smtpx_bench'] : '';
if ( ! in_array( $smtpx_bench_mode, array( 'background', 'sync', 'core' ), true ) ) {
	return;
}

if ( 'core' === $smtpx_bench_mode ) {
	add_filter(
		'option_active_plugins',
		static function ( $plugins ) {
			return array_values( array_diff( (array) $plugins, array( 'smtpx/smtpx.php' ) ) );
		}
	);
	add_action(
		'phpmailer_init',
		static function ( $phpmailer ) {
			$primary = get_option( 'smtpx_settings' )['primary'];
			$phpmailer->isSMTP();
			$phpmailer->Host        = $primary['host'];
			$phpmailer->Port        = (int) $primary['ports'];
			$phpmailer->SMTPAuth    = false;
			$phpmailer->SMTPAutoTLS = false;
		}
	);
} else {
	add_filter(
		'option_smtpx_settings',
		static function ( $settings ) use ( $smtpx_bench_mode ) {
			$settings['queue'] = 'background' === $smtpx_bench_mode;
			return $settings;
		}
	);
}

add_action(
	'template_redirect',
	static function () use ( $smtpx_bench_mode ) {
		$started = hrtime( true );
		$sent    = wp_mail( 'owner@example.com', 'New contact form entry', "Name: Jane Doe\nEmail: jane@example.org\n\nHello, how much is it?\n", array( 'From: Contact form <wordpress@smtpx.test>', 'Reply-To: jane@example.org' ) );
		$ms      = ( hrtime( true ) - $started ) / 1e6;
		file_put_contents( dirname( WP_CONTENT_DIR ) . "/latency-$smtpx_bench_mode.txt", sprintf( "%.3f\n", $ms ), FILE_APPEND | LOCK_EX );
		status_header( $sent ? 200 : 500 ); // ab counts a mail that failed as a failed request.
		header( 'Content-Type: text/plain' );
		echo $sent ? 'sent' : 'failed';
		exit; // The shutdown hooks still run: background sending drains after the response.
	},
	0
);
