<?php
/**
 * When mail went over an HTTPS API because SMTP could not be used: the extension's
 * result names the transport that carried the message ("brevo+api") and, on the send
 * that switched, the SMTP failure (fallback_from); the sends after it go straight to
 * the API while the extension remembers SMTP as blocked. Kept for Site Health until
 * the connection delivers over SMTP again.
 *
 * @package Smtpx
 */

namespace Smtpx\WordPress;

defined( 'ABSPATH' ) || exit;

/**
 * The last HTTPS fallback, in one non-autoloaded option.
 */
final class Https_Fallback {

	public const OPTION = 'smtpx_https_fallback';

	/**
	 * Notes what carried a message the connection submitted.
	 *
	 * @param array<string, mixed> $result     The extension's result.
	 * @param string               $connection primary or fallback.
	 */
	public static function note( array $result, string $connection ): void {
		if ( Settings::uses_api( $connection ) || ! isset( $result['transport'] ) ) {
			return; // Over the API by choice, or not the extension's result.
		}
		$last = self::last();
		if ( 'smtp' === $result['transport'] ) {
			if ( null !== $last && $connection === $last['connection'] ) {
				delete_option( self::OPTION );
			}
			return;
		}
		$reason = (string) ( $result['fallback_from'] ?? '' );
		// Once a minute at most: every send while SMTP is blocked lands here.
		if ( null !== $last && '' === $reason && $last['time'] > time() - MINUTE_IN_SECONDS ) {
			return;
		}
		$note = array(
			'connection' => $connection,
			'host'       => Settings::host( $connection ),
			'transport'  => (string) $result['transport'],
			'reason'     => '' === $reason && null !== $last ? $last['reason'] : $reason,
			'time'       => time(),
		);
		update_option( self::OPTION, $note, false );
	}

	/**
	 * The last time mail went over HTTPS instead of SMTP, or null while SMTP works.
	 *
	 * @return array{connection: string, host: string, transport: string, reason: string, time: int}|null
	 */
	public static function last(): ?array {
		$note = get_option( self::OPTION, null );
		return is_array( $note ) && isset( $note['transport'], $note['time'] ) ? $note : null;
	}
}
