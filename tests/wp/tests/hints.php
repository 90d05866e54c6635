<?php
/**
 * The hint a failure shows is the extension's (Smtpx\Exception::getHint()): the
 * plugin keeps no table of SMTP replies of its own, and shows the hint once.
 */

namespace SmtpxTest;

use Smtpx\WordPress\Submission;

require __DIR__ . '/../lib/bootstrap.php';

// What the extension throws for a refused login: the message ends with the hint.
final class Refused_Login extends \Smtpx\AuthException {
	public function __construct( string $reply, string $hint ) {
		parent::__construct( 'AUTH PLAIN was refused: ' . $reply . ( '' === $hint ? '' : '. ' . $hint ), 535 );
		$this->smtpCode = 535;
		$this->phase    = 'auth';
		$this->hint     = $hint;
	}
}

$core_hint = 'Check the user name and password; Gmail and Google Workspace need an app password or an OAuth2 token.';
$details   = Submission::describe_failure( new Refused_Login( '535 5.7.8 Error: authentication failed', $core_hint ), 'primary' );
is( $details['hint'], $core_hint, 'the hint is the extension\'s getHint()' );
is( $details['message'], 'AUTH PLAIN was refused: 535 5.7.8 Error: authentication failed', 'the message is left without the hint, so it is shown once' );

$details = Submission::describe_failure( new Refused_Login( '535 5.7.8 no', '' ), 'primary' );
is( $details['hint'], '', 'no hint when the extension has none' );
is( $details['message'], 'AUTH PLAIN was refused: 535 5.7.8 no', 'the message as the extension gave it' );
