<?php
/**
 * Plain-language hints for the replies providers are known to give.
 */

namespace SmtpxTest;

use Smtpx\WordPress\Hints;

require __DIR__ . '/../lib/bootstrap.php';

$cases = array(
	'Gmail refuses the account password'      => array( array( 'phase' => 'auth', 'smtp_code' => 535, 'enhanced_status' => '5.7.8', 'message' => '535 5.7.8 Username and Password not accepted', 'host' => 'smtp.gmail.com' ), 'app password' ),
	'SendGrid wants the literal user apikey'  => array( array( 'phase' => 'auth', 'smtp_code' => 535, 'enhanced_status' => null, 'message' => '535 Authentication failed: Bad username / password', 'host' => 'smtp.sendgrid.net' ), '"apikey"' ),
	'Brevo wants an SMTP key'                 => array( array( 'phase' => 'auth', 'smtp_code' => 535, 'enhanced_status' => '5.7.8', 'message' => '535 5.7.8 Authentication failed', 'host' => 'smtp-relay.brevo.com' ), 'not the API key' ),
	'Microsoft 365 basic auth disabled'       => array( array( 'phase' => 'auth', 'smtp_code' => 550, 'enhanced_status' => '5.7.30', 'message' => '550 5.7.30 Basic authentication is not supported for Client Submission', 'host' => 'smtp.office365.com' ), 'OAuth 2 access token' ),
	'SendGrid out of credits'                 => array( array( 'phase' => 'mail', 'smtp_code' => 451, 'enhanced_status' => null, 'message' => '451 Authentication failed: Maximum credits exceeded', 'host' => 'smtp.sendgrid.net' ), 'Retrying will not help' ),
	'SendGrid account problem'                => array( array( 'phase' => 'auth', 'smtp_code' => 451, 'enhanced_status' => null, 'message' => '451 Authentication failed: Could not authenticate', 'host' => 'smtp.sendgrid.net' ), 'account problem' ),
	'SES sender not verified'                 => array( array( 'phase' => 'data', 'smtp_code' => 554, 'enhanced_status' => null, 'message' => '554 Message rejected: Email address is not verified.', 'host' => 'email-smtp.eu-west-1.amazonaws.com' ), 'verify the address' ),
	'SendGrid sender identity'                => array( array( 'phase' => 'mail', 'smtp_code' => 550, 'enhanced_status' => null, 'message' => '550 The from address does not match a verified Sender Identity', 'host' => 'smtp.sendgrid.net' ), 'verify the address' ),
	'throttling 421'                          => array( array( 'phase' => 'mail', 'smtp_code' => 421, 'enhanced_status' => '4.7.0', 'message' => '421 4.7.0 Try again later, closing connection', 'host' => 'smtp.gmail.com' ), 'throttling' ),
	'throttling 454'                          => array( array( 'phase' => 'rcpt', 'smtp_code' => 454, 'enhanced_status' => '4.7.0', 'message' => '454 4.7.0 Too many login attempts', 'host' => 'smtp.gmail.com' ), 'throttling' ),
	'blocked ports'                           => array( array( 'phase' => 'connect', 'smtp_code' => 0, 'enhanced_status' => null, 'message' => 'every port timed out', 'host' => 'smtp.mailgun.org' ), 'Hetzner 25 and 465' ),
	'certificate problem'                     => array( array( 'phase' => 'tls', 'smtp_code' => 0, 'enhanced_status' => null, 'message' => 'certificate verify failed', 'host' => 'mail.example.com' ), 'certificate' ),
);
foreach ( $cases as $name => list( $failure, $expected ) ) {
	$hint = Hints::for_failure( $failure );
	ok( str_contains( $hint, $expected ), $name, $hint );
}
is( Hints::for_failure( array( 'phase' => 'data', 'smtp_code' => 552, 'enhanced_status' => '5.3.4', 'message' => '552 5.3.4 Message size exceeds fixed limit', 'host' => 'x.example' ) ), '', 'no hint when the reply says it all' );
