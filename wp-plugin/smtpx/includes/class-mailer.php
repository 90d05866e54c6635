<?php
/**
 * The PHPMailer that wp_mail() uses while smtpx is in charge. wp_mail() composes
 * the message exactly as it always does, plugins change it in phpmailer_init, and
 * only the last step differs: instead of mail() or PHPMailer's SMTP client, the
 * composed message goes to smtpx_send_raw(), or its fields to smtpx_send() when its
 * route may reach an HTTPS API that takes fields (Message_Fields).
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
	 * The extension's result for the last send, null when it failed or was not ours;
	 * array( 'outbox_id' => N ) when the message was queued for background sending.
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
	 * The test email: send at once, outside the outbox, with the extension's transcript.
	 *
	 * @var bool
	 */
	public $smtpx_debug = false;

	/**
	 * The arguments of the wp_mail() call under way (Mailer_Installer sets them), kept
	 * with a queued message for the actions that fire when it is delivered.
	 *
	 * @var array<string, mixed>|null
	 */
	public $smtpx_mail_data = null;

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
	 * The send step: PHPMailer has composed the message in preSend(). The message is
	 * stored in the outbox and either queued (background sending) or sent now; a
	 * transient failure leaves it queued for a retry, and wp_mail() returns true.
	 *
	 * @return bool
	 * @throws PHPMailer_Exception When the message failed for good, or a recipient was refused.
	 */
	public function postSend() {
		if ( ! Settings::routes_mail() ) {
			return parent::postSend();
		}
		$recipients = array();
		foreach ( array_merge( $this->getToAddresses(), $this->getCcAddresses(), $this->getBccAddresses() ) as $address ) {
			$recipients[] = $address[0];
		}
		$message = array(
			'envelope_from' => '' === $this->Sender ? $this->From : $this->Sender,
			'envelope_to'   => $recipients,
			'mime'          => $this->getSentMIMEMessage(),
			'fields'        => Message_Fields::needed() ? Message_Fields::of( $this ) : null,
			'subject'       => $this->Subject,
			'message_id'    => $this->getLastMessageID(),
			'mail_data'     => $this->smtpx_mail_data,
		);
		$inside_wp_mail        = null !== $this->smtpx_mail_data;
		$this->smtpx_mail_data = null;

		if ( Settings::do_not_send() ) {
			// phpcs:ignore Generic.PHP.ForbiddenFunctions.Found -- the staging log line is the feature.
			error_log( sprintf( 'smtpx: SMTPX_DO_NOT_SEND is set, dropped mail "%s" to %s', $this->Subject, implode( ', ', $recipients ) ) );
			$this->smtpx_result = array( 'dropped' => true );
			if ( $inside_wp_mail ) {
				self::hold_back_core_success(); // Nothing was delivered.
			}
			return true;
		}
		if ( $this->smtpx_debug ) {
			return $this->submit_now( $message );
		}

		$row = Outbox::add( $message, ! Background_Sending::enabled() );
		if ( null === $row ) {
			// The outbox could not store it (a database error): the mail still goes out.
			return $this->submit_now( $message );
		}
		if ( Outbox::QUEUED === $row['status'] ) {
			$this->smtpx_result = array( 'outbox_id' => $row['id'] );
			Background_Sending::send_after_response();
			if ( $inside_wp_mail ) {
				self::hold_back_core_success();
			}
			return true;
		}
		$outcome = Delivery::attempt( $row );
		Delivery::announce( $row, $outcome, true );
		if ( Outbox::QUEUED === $outcome['status'] && $inside_wp_mail ) {
			self::hold_back_core_success();
		}
		return $this->report( $outcome['status'], $outcome['result'], $outcome['failure'] );
	}

	/**
	 * Submits at once, outside the outbox (the test email, or when the outbox cannot store).
	 *
	 * @param array<string, mixed> $message As for Outbox::add().
	 * @return bool
	 * @throws PHPMailer_Exception When smtpx could not submit the message.
	 */
	private function submit_now( array $message ): bool {
		try {
			$result = Submission::submit( $message, $this->smtpx_debug );
		} catch ( \Smtpx\Exception | Smtp_Failure $failure ) {
			return $this->report( Outbox::FAILED, null, Submission::last_failure() );
		} catch ( \ValueError | \TypeError $refused ) {
			return $this->report( Outbox::FAILED, null, Delivery::refused_input( $refused ) );
		}
		return $this->report( Outbox::SENT, $result, Delivery::refused_recipients( $result ) );
	}

	/**
	 * Tells wp_mail() what happened, as PHPMailer's own SMTP client would: true, or its exception.
	 *
	 * @param string                    $status  The outbox status after the attempt.
	 * @param array<string, mixed>|null $result  The extension's result when submitted.
	 * @param array<string, mixed>|null $failure What failed, or the refused recipients.
	 * @return bool
	 * @throws PHPMailer_Exception When the message failed, or a recipient was refused.
	 */
	private function report( string $status, ?array $result, ?array $failure ): bool {
		$this->smtpx_result  = $result;
		$this->smtpx_failure = $failure;
		if ( null !== $result ) {
			$this->call_action_function( $result );
		}
		if ( null === $failure || Outbox::QUEUED === $status ) {
			return true;
		}
		$this->setError( $failure['message'] );
		if ( Outbox::SENT === $status ) {
			// Delivered to the others, but wp_mail() reports the refusal.
			throw new PHPMailer_Exception( $this->lang( 'recipients_failed' ) . $failure['message'], $failure['smtp_code'] );
		}
		throw new PHPMailer_Exception( Delivery::failure_message( $failure ), $failure['smtp_code'] );
	}

	/**
	 * PHPMailer's action_function, as its own SMTP client calls it once the data is
	 * accepted: once per recipient, sent or refused, with the server's queue id. (A
	 * queued message is delivered by a later process, which has no such callback.)
	 *
	 * @param array<string, mixed> $result The extension's result.
	 */
	private function call_action_function( array $result ): void {
		$queue_id = preg_match( '/queued as (\S+)/i', (string) ( $result['reply'] ?? '' ), $match ) ? $match[1] : '';
		foreach ( array_merge( $this->getToAddresses(), $this->getCcAddresses(), $this->getBccAddresses() ) as $address ) {
			$this->doCallback( ! isset( $result['rejected'][ $address[0] ] ), array( $address ), array(), array(), $this->Subject, $this->MIMEBody, $this->From, array( 'smtp_transaction_id' => $queue_id ) );
		}
	}

	/**
	 * Core fires wp_mail_succeeded as soon as send() returns true; for a message that
	 * is only queued it must fire when the message is delivered (Delivery::announce()).
	 * The hook's callbacks are set aside for that one call, and that call puts them back.
	 */
	private static function hold_back_core_success(): void {
		global $wp_filter;
		$callbacks = $wp_filter['wp_mail_succeeded'] ?? null;
		$stand_in  = new \WP_Hook();
		$stand_in->add_filter(
			'wp_mail_succeeded',
			static function () use ( $callbacks ) {
				global $wp_filter;
				if ( null === $callbacks ) {
					unset( $wp_filter['wp_mail_succeeded'] );
				} else {
					$wp_filter['wp_mail_succeeded'] = $callbacks;
				}
			},
			10,
			0
		);
		$wp_filter['wp_mail_succeeded'] = $stand_in; // Put back by the stand-in itself.
	}
}
