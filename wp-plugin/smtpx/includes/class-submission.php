<?php
/**
 * One submission of a composed message through the extension (or, on hosts without
 * it, PHPMailer's SMTP client: Phpmailer_Submission), with the fallback connection:
 * the fallback is tried only when the primary could not be reached or failed
 * transiently, and never when the primary may already have accepted the message
 * (the outcome is unknown), so nobody receives it twice.
 *
 * A message is submitted with its fields (smtpx_send()) through a connection that may
 * reach a JSON API when it has them (Message_Fields), and with its MIME
 * (smtpx_send_raw()) otherwise.
 *
 * @package Smtpx
 */

namespace Smtpx\WordPress;

defined( 'ABSPATH' ) || exit;

/**
 * Submits with smtpx_send_raw() or smtpx_send().
 */
final class Submission {

	/**
	 * The failure of the last connection tried, as describe_failure() gives it.
	 *
	 * @var array<string, mixed>|null
	 */
	private static $last_failure = null;

	/**
	 * Submits a message to every recipient.
	 *
	 * @param array<string, mixed> $message envelope_from, envelope_to (string[]), mime (the
	 *                                      whole message), fields (Message_Fields::of(), or null).
	 * @param bool                 $debug   Ask the extension for the transcript.
	 * @return array<string, mixed> The extension's result plus "connection" (primary or fallback).
	 * @throws \Smtpx\Exception|Smtp_Failure The last connection's failure.
	 */
	public static function submit( array $message, bool $debug = false ): array {
		self::$last_failure = null;
		try {
			return self::submit_with( 'primary', $message, $debug );
		} catch ( \Smtpx\Exception | Smtp_Failure $primary_failure ) {
			if ( ! self::fallback_may_help( $primary_failure ) ) {
				throw $primary_failure;
			}
			return self::submit_with( 'fallback', $message, $debug );
		}
	}

	/**
	 * Details of the failure submit() last threw, null after a success.
	 *
	 * @return array<string, mixed>|null
	 */
	public static function last_failure(): ?array {
		return self::$last_failure;
	}

	/**
	 * What a failure means, as data for WP_Error, the settings page and Site Health.
	 *
	 * @param \Smtpx\Exception|Smtp_Failure $failure    The extension's exception, or PHPMailer's client's.
	 * @param string                       $connection The connection that failed last.
	 * @return array<string, mixed>
	 */
	public static function describe_failure( \Smtpx\Exception|Smtp_Failure $failure, string $connection ): array {
		// The extension decides what a reply means; its message ends with the hint, kept
		// apart here so a screen that shows both shows the hint once.
		$hint    = method_exists( $failure, 'getHint' ) ? $failure->getHint() : '';
		$message = $failure->getMessage();
		if ( '' !== $hint && str_ends_with( $message, '. ' . $hint ) ) {
			$message = substr( $message, 0, -strlen( '. ' . $hint ) );
		}
		// A server that is not SMTP is not quoted (Private_Targets::without_banner()), nor is its transcript shown.
		$shown   = Private_Targets::without_banner( $message, $failure->getPhase(), $failure->getSmtpCode() );
		$details = array(
			'connection'      => $connection,
			'host'            => Settings::host( $connection ),
			'phase'           => $failure->getPhase(),
			'smtp_code'       => $failure->getSmtpCode(),
			'enhanced_status' => $failure->getEnhancedStatus(),
			'transient'       => $failure->isTransient(),
			'outcome_unknown' => $failure->isOutcomeUnknown(),
			'message'         => $shown,
			// The extension never records secrets in the transcript (AUTH shows "<redacted>").
			'transcript'      => $shown === $message ? (string) $failure->getTranscript() : '',
			'hint'            => $hint,
		);
		return $details;
	}

	/**
	 * Submits through one connection only, without the fallback (alerts about the primary).
	 *
	 * @param string               $connection primary or fallback.
	 * @param array<string, mixed> $message    As for submit().
	 * @return array<string, mixed>
	 * @throws \Smtpx\Exception|Smtp_Failure The connection's failure.
	 */
	public static function submit_through( string $connection, array $message ): array {
		return self::submit_with( $connection, $message, false );
	}

	/**
	 * Submits through one connection.
	 *
	 * @param string               $connection primary or fallback.
	 * @param array<string, mixed> $message    As for submit().
	 * @param bool                 $debug      Ask for the transcript.
	 * @return array<string, mixed>
	 */
	private static function submit_with( string $connection, array $message, bool $debug ): array {
		// The extension signs with the site's DKIM key (a DSN connection: PHPMailer signed, Dkim_Signing).
		$transport = Dkim_Signing::add_to_transport( Settings::transport( $connection ) );
		if ( $debug && is_array( $transport ) ) {
			$transport['debug'] = true;
		}
		try {
			if ( Settings::secret_unreadable( $connection ) ) {
				// Never an attempt without the credentials (the server would only refuse, or
				// relay unauthenticated); transient, so the outbox keeps the mail until it is entered again.
				throw new Smtp_Failure( __( 'the saved password cannot be read any more (the salts in wp-config.php changed): enter it again under Settings > smtpx', 'smtpx' ), 'auth', '', true );
			}
			if ( 'primary' === $connection && Oauth_Grant::needs_reconnect() ) {
				// No token request and no AUTH that can only be refused: the mail waits in the
				// outbox until the account is connected again (Retry_Policy).
				/* translators: %s: why the account must be connected again. */
				throw new Smtp_Failure( sprintf( __( '%s: connect the account again under Settings > smtpx', 'smtpx' ), Oauth_Grant::reconnect_reason() ), 'auth', '', true );
			}
			$result = self::send( $message, $transport );
		} catch ( \Smtpx\Exception | Smtp_Failure $failure ) {
			// A refresh token the provider rotated during a failed send is kept all the same:
			// the old one may be refused from now on.
			self::keep_rotated_token( $transport, $failure instanceof \Smtpx\Exception && method_exists( $failure, 'getOauthRefreshToken' ) ? $failure->getOauthRefreshToken() : null );
			Oauth_Grant::note_failure( $failure, $connection );
			self::$last_failure = self::describe_failure( $failure, $connection );
			Failure_Log::record( self::$last_failure );
			throw $failure;
		}
		Https_Fallback::note( $result, $connection );
		self::keep_rotated_token( $transport, $result['oauth_refresh_token'] ?? null );
		$result['connection'] = $connection;
		return $result;
	}

	/**
	 * Hands the message to the extension, with its fields where the transport may reach a
	 * JSON API, or to PHPMailer's SMTP client without the extension.
	 *
	 * @param array<string, mixed>              $message   As for submit().
	 * @param array<string, mixed>|string|null $transport The connection's transport.
	 * @return array<string, mixed>
	 */
	private static function send( array $message, $transport ): array {
		if ( ! Settings::extension_loaded() ) {
			return Phpmailer_Submission::send_raw( $message['envelope_from'], $message['envelope_to'], $message['mime'], $transport );
		}
		if ( is_array( $message['fields'] ?? null ) && Message_Fields::reaches_json_api( $transport ) ) {
			return smtpx_send( Message_Fields::message( $message['fields'] ), $transport );
		}
		return smtpx_send_raw( $message['envelope_from'], $message['envelope_to'], $message['mime'], Message_Fields::for_raw( $transport ) );
	}

	/**
	 * Stores the refresh token the provider issued in place of the transport's, if it did.
	 *
	 * @param array<string, mixed>|string $transport What the extension was given.
	 * @param string|null                 $rotated   The new refresh token, or null.
	 */
	private static function keep_rotated_token( $transport, ?string $rotated ): void {
		if ( null !== $rotated && is_array( $transport ) && isset( $transport['oauth']['refresh_token'] ) ) {
			Oauth_Grant::keep_rotated( (string) $transport['oauth']['refresh_token'], $rotated );
		}
	}

	/**
	 * Whether trying the fallback can deliver what the primary did not.
	 *
	 * @param \Smtpx\Exception|Smtp_Failure $failure The primary's failure.
	 */
	private static function fallback_may_help( \Smtpx\Exception|Smtp_Failure $failure ): bool {
		if ( ! Settings::is_configured( 'fallback' ) || $failure->isOutcomeUnknown() ) {
			return false;
		}
		// A grant the provider refused waits for a person, as a transient failure does.
		return $failure instanceof \Smtpx\ConnectException
			|| $failure instanceof \Smtpx\TimeoutException
			|| $failure->isTransient()
			|| Oauth_Grant::needs_reconnect();
	}
}
