<?php
/**
 * Conflicts with other mail plugins are detected and named: a plugin that defines
 * wp_mail() first, one that puts its own PHPMailer subclass in the global, and one
 * that switches the mailer in phpmailer_init. smtpx still sends in the last two.
 */

namespace {
	// Loaded before pluggable.php, as a plugin that defines wp_mail() would be.
	function wp_mail( $to, $subject, $message, $headers = '', $attachments = array() ) {
		global $smtpx_test_overridden_wp_mail_called;
		$smtpx_test_overridden_wp_mail_called = true;
		return true;
	}
}

namespace SmtpxTest {

	use Smtpx\WordPress\Conflicts;
	use Smtpx\WordPress\Notices;

	require __DIR__ . '/../lib/bootstrap.php';

	delete_option( Conflicts::OPTION );
	is( Conflicts::wp_mail_defined_elsewhere(), __FILE__, 'a wp_mail() defined outside pluggable.php is found, with its file' );
	ok( str_contains( implode( ' ', array_column( Notices::problems(), 1 ) ), 'another plugin replaces wp_mail() (defined in ' . __FILE__ ), 'the admin notice names the file' );
	use_connection( postfix_submission() );
	ob_start();
	Notices::render_status();
	ok( ! str_contains( (string) ob_get_clean(), 'Every wp_mail() goes through smtpx' ), 'the settings page does not claim every wp_mail() goes through smtpx' );

	// The same site's mail otherwise: use core's wp_mail() body through the plugin's Mailer.
	use_connection( postfix_submission() );
	require_once ABSPATH . WPINC . '/PHPMailer/PHPMailer.php';
	require_once ABSPATH . WPINC . '/PHPMailer/Exception.php';
	$GLOBALS['phpmailer'] = new class( true ) extends \PHPMailer\PHPMailer\PHPMailer {};
	\Smtpx\WordPress\Mailer_Installer::before_wp_mail( null );
	ok( $GLOBALS['phpmailer'] instanceof \Smtpx\WordPress\Mailer, 'a foreign PHPMailer subclass in the global is replaced' );
	ok( isset( Conflicts::seen()['phpmailer_class'] ), 'and remembered for the notice' );

	// WordPress's own mailer (a WP_PHPMailer since 6.8) left in the global by an earlier wp_mail().
	delete_option( Conflicts::OPTION );
	$core_mailer = core_mailer_class();
	if ( 'WP_PHPMailer' === $core_mailer ) {
		require_once ABSPATH . WPINC . '/class-wp-phpmailer.php';
	}
	$GLOBALS['phpmailer'] = new $core_mailer( true );
	\Smtpx\WordPress\Mailer_Installer::before_wp_mail( null );
	ok( $GLOBALS['phpmailer'] instanceof \Smtpx\WordPress\Mailer, "core's own $core_mailer in the global is replaced" );
	ok( ! isset( Conflicts::seen()['phpmailer_class'] ), 'and is no conflict' );

	// A plugin that switches to its own SMTP server in phpmailer_init.
	$mailer = $GLOBALS['phpmailer'];
	$mailer->addAddress( 'reader@example.com' );
	$mailer->setFrom( 'wordpress@smtpx.test' );
	$mailer->Subject = 'Mailer switched';
	$mailer->Body    = 'body';
	$marker          = marker( 'switched' );
	$mailer->addCustomHeader( 'X-Smtpx-Test', $marker );
	$mailer->isSMTP();
	$mailer->Host = 'smtp.other-plugin.example';
	is( $mailer->send(), true, 'smtpx still sends when another plugin called isSMTP()' );
	is( count( delivered( $marker ) ), 1, 'delivered through smtpx' );
	is( Conflicts::seen()['mailer'] ?? null, 'smtp', 'the switch is remembered' );
	ok( str_contains( implode( ' ', array_column( Notices::problems(), 1 ) ), 'switches WordPress\'s mailer to "smtp"' ), 'and named in a notice' );
	delete_option( Conflicts::OPTION );
}
