<?php
/**
 * Sends every case of cases.php through the plugin in a PHP process without the smtpx
 * extension (so through PHPMailer's SMTP client) to the harness's Postfix:
 *   php send-without-extension.php RUN
 * Prints "sent NAME" or "failed NAME" per case.
 */

namespace SmtpxTest;

require __DIR__ . '/bootstrap.php';
require __DIR__ . '/cases.php';

if ( function_exists( 'smtpx_send_raw' ) ) {
	echo "failed: the extension is loaded\n";
	exit( 1 );
}
use_connection( postfix_submission() );
foreach ( cases() as $name => $case ) {
	echo ( send_case( $case, "{$argv[1]}-$name" ) ? 'sent' : 'failed' ) . " $name\n";
}
