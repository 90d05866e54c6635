<?php
/**
 * Without the extension, WordPress's own mail path is left untouched and an admin
 * notice says why. Run in a child PHP process without the extension (or shim).
 */

namespace SmtpxTest;

if ( 'child' === ( $argv[1] ?? '' ) ) {
	require __DIR__ . '/../lib/bootstrap.php';
	use_connection( postfix_submission() );
	$class = null;
	add_action(
		'phpmailer_init',
		static function ( $mailer ) use ( &$class ) {
			$class = get_class( $mailer );
			$mailer->isSendmail();
			$mailer->Sendmail = '/bin/true'; // Core's path, without sending anywhere.
		}
	);
	$sent = wp_mail( 'reader@example.com', 'No extension', 'body' );
	echo json_encode(
		array(
			'function' => function_exists( 'smtpx_send_raw' ),
			'sent'     => $sent,
			'class'    => $class,
			'notices'  => array_column( \Smtpx\WordPress\Notices::problems(), 1 ),
			'health'   => \Smtpx\WordPress\Site_Health::test_extension()['status'],
		)
	);
	exit;
}

require __DIR__ . '/../lib/bootstrap.php';
[ $status, $output ] = run_php( array( __FILE__, 'child' ), array() );
$child = json_decode( $output, true );
if ( ! ok( is_array( $child ), 'the child ran without the extension', $output ) ) {
	exit;
}
is( $child['function'], false, 'smtpx_send_raw() is not there' );
is( $child['sent'], true, 'wp_mail() works' );
is( $child['class'], core_mailer_class(), 'through core\'s own PHPMailer' );
ok( str_contains( implode( ' ', $child['notices'] ), 'the smtpx PHP extension is not loaded' ), 'an admin notice says the extension is missing' );
is( $child['health'], 'critical', 'Site Health reports it' );
