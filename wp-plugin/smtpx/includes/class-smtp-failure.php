<?php
/**
 * A failed submission through PHPMailer's SMTP client (Phpmailer_Submission), with
 * the getters of the extension's Smtpx\Exception, so the outbox, the fallback
 * connection and the failure log ask one question of either and get one answer.
 *
 * @package Smtpx
 */

namespace Smtpx\WordPress;

defined( 'ABSPATH' ) || exit;

/**
 * What failed, in which phase, whether a retry can help, whether the data went out.
 */
final class Smtp_Failure extends \RuntimeException {

	/**
	 * The SMTP phase: connect, tls, ehlo, auth, mail, rcpt, data.
	 *
	 * @var string
	 */
	private $phase;

	/**
	 * The server's reply, "" when none came.
	 *
	 * @var string
	 */
	private $reply;

	/**
	 * Whether a later attempt may succeed.
	 *
	 * @var bool
	 */
	private $transient;

	/**
	 * Whether the data went out with no final reply.
	 *
	 * @var bool
	 */
	private $outcome_unknown;

	/**
	 * Records a failure.
	 *
	 * @param string $message         What happened, for people.
	 * @param string $phase           The SMTP phase.
	 * @param string $reply           The server's reply, "" when none came.
	 * @param bool   $transient       Whether a later attempt may succeed.
	 * @param bool   $outcome_unknown Whether the data went out with no final reply.
	 */
	public function __construct( string $message, string $phase, string $reply, bool $transient, bool $outcome_unknown = false ) {
		parent::__construct( $message, (int) substr( $reply, 0, 3 ) );
		$this->phase           = $phase;
		$this->reply           = $reply;
		$this->transient       = $transient;
		$this->outcome_unknown = $outcome_unknown;
	}

	/**
	 * The reply's code, 0 when none came.
	 */
	public function getSmtpCode(): int {
		return $this->getCode();
	}

	/**
	 * The reply's enhanced status code (RFC 3463), null when it has none.
	 */
	public function getEnhancedStatus(): ?string {
		return preg_match( '/^\d{3}[ -]([245]\.\d{1,3}\.\d{1,3})\s/', $this->reply, $match ) ? $match[1] : null;
	}

	/**
	 * The SMTP phase.
	 */
	public function getPhase(): string {
		return $this->phase;
	}

	/**
	 * Whether a later attempt may succeed.
	 */
	public function isTransient(): bool {
		return $this->transient;
	}

	/**
	 * Whether the data went out with no final reply: the message may have been accepted.
	 */
	public function isOutcomeUnknown(): bool {
		return $this->outcome_unknown;
	}

	/**
	 * PHPMailer's client keeps no transcript that is safe to show (its debug output has AUTH).
	 */
	public function getTranscript(): ?string {
		return null;
	}

	/**
	 * The extension's hints live in the extension.
	 */
	public function getHint(): string {
		return '';
	}
}
