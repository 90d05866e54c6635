<?php
/**
 * The PHPMailer that wp_mail() uses while smtpx is in charge. wp_mail() composes
 * the message exactly as it always does, plugins change it in phpmailer_init, and
 * only the last step differs: instead of mail() or PHPMailer's SMTP client, the
 * composed message goes to smtpx_send_raw().
 *
 * The message is composed as PHPMailer composes it for SMTP (To and Subject in the
 * header, no Bcc header), so what is delivered is what core delivers over SMTP.
 *
 * Loaded only once PHPMailer itself is, by Mailer_Installer.
 *
 * @package Smtpx
 */

namespace Smtpx\WordPress;

use PHPMailer\PHPMailer\Exception as PHPMailer_Exception;
use PHPMailer\PHPMailer\PHPMailer;

defined( 'ABSPATH' ) || exit;

/**
 * PHPMailer whose send step is smtpx.
 */
class Mailer extends PHPMailer {

	/**
	 * The extension's result for the last send, null when it failed or was not ours.
	 *
	 * @var array<string, mixed>|null
	 */
	public $smtpx_result = null;

	/**
	 * The last failure (see Submission::describe_failure()), null after a success.
	 *
	 * @var array<string, mixed>|null
	 */
	public $smtpx_failure = null;

	/**
	 * Ask the extension for a transcript (the test email does).
	 *
	 * @var bool
	 */
	public $smtpx_debug = false;

	/**
	 * Composes and submits; throws PHPMailer's exception like core's mailer does.
	 *
	 * @return bool
	 * @throws PHPMailer_Exception When the message cannot be composed or submitted.
	 */
	public function send() {
		$this->smtpx_result  = null;
		$this->smtpx_failure = null;
		if ( ! Settings::routes_mail() ) {
			return parent::send();
		}
		if ( 'mail' !== $this->Mailer ) {
			Conflicts::note_mailer_changed( $this->Mailer );
		}
		$this->Mailer = 'smtp';
		return parent::send();
	}

	/**
	 * The send step: PHPMailer has composed the message in preSend().
	 *
	 * @return bool
	 * @throws PHPMailer_Exception When smtpx could not submit the message.
	 */
	public function postSend() {
		if ( ! Settings::routes_mail() ) {
			return parent::postSend();
		}
		$sender     = '' === $this->Sender ? $this->From : $this->Sender;
		$recipients = array();
		foreach ( array_merge( $this->getToAddresses(), $this->getCcAddresses(), $this->getBccAddresses() ) as $address ) {
			$recipients[] = $address[0];
		}

		if ( Settings::do_not_send() ) {
			// phpcs:ignore Generic.PHP.ForbiddenFunctions.Found -- the staging log line is the feature.
			error_log( sprintf( 'smtpx: SMTPX_DO_NOT_SEND is set, dropped mail "%s" to %s', $this->Subject, implode( ', ', $recipients ) ) );
			$this->smtpx_result = array( 'dropped' => true );
			return true;
		}

		try {
			$this->smtpx_result = Submission::submit( $sender, $recipients, $this->getSentMIMEMessage(), $this->smtpx_debug );
		} catch ( \Smtpx\Exception $failure ) {
			$this->smtpx_failure = Submission::last_failure();
			$this->setError( $failure->getMessage() );
			throw new PHPMailer_Exception( self::failure_message( $this->smtpx_failure ), $failure->getSmtpCode() );
		} catch ( \ValueError | \TypeError $refused ) {
			// The extension refuses input it cannot send safely (an address or setting it
			// cannot use) before connecting; wp_mail() must still see PHPMailer's exception.
			$this->smtpx_failure = array(
				'phase'           => 'input',
				'smtp_code'       => 0,
				'enhanced_status' => null,
				'message'         => $refused->getMessage(),
				'hint'            => __( 'smtpx refused the message or the connection settings before sending; the message names the field.', 'smtpx' ),
			);
			throw new PHPMailer_Exception( self::failure_message( $this->smtpx_failure ), 0 );
		}

		if ( ! empty( $this->smtpx_result['rejected'] ) ) {
			// As PHPMailer's own SMTP client: delivered to the others, but wp_mail() reports the refusal.
			$refused = array();
			foreach ( $this->smtpx_result['rejected'] as $address => $reply ) {
				$refused[] = $address . ': ' . $reply;
			}
			$this->smtpx_failure = array(
				'phase'           => 'rcpt',
				'smtp_code'       => (int) substr( (string) reset( $this->smtpx_result['rejected'] ), 0, 3 ),
				'enhanced_status' => null,
				'message'         => implode( '; ', $refused ),
				'rejected'        => $this->smtpx_result['rejected'],
			);
			throw new PHPMailer_Exception( $this->lang( 'recipients_failed' ) . implode( '; ', $refused ), $this->smtpx_failure['smtp_code'] );
		}
		return true;
	}

	/**
	 * "smtpx (auth): 535 5.7.8 ... Hint." for wp_mail_failed listeners that only read the message.
	 *
	 * @param array<string, mixed> $failure From Submission::describe_failure().
	 */
	private static function failure_message( array $failure ): string {
		$message = sprintf( 'smtpx (%s): %s', $failure['phase'], $failure['message'] );
		return '' === $failure['hint'] ? $message : $message . ' ' . $failure['hint'];
	}
}
