<?php
/**
 * The last few failed submissions, kept for Site Health and the settings page.
 * Transcripts are not kept: they are for the moment of the test email only.
 *
 * @package Smtpx
 */

namespace Smtpx\WordPress;

defined( 'ABSPATH' ) || exit;

/**
 * A short ring of recent failures in one non-autoloaded option.
 */
final class Failure_Log {

	public const OPTION = 'smtpx_recent_failures';
	private const KEEP  = 10;

	/**
	 * Remembers a failure.
	 *
	 * @param array<string, mixed> $failure From Submission::describe_failure().
	 */
	public static function record( array $failure ): void {
		unset( $failure['transcript'] );
		$failure['time'] = time();
		$failures        = array_slice( array_merge( array( $failure ), self::recent() ), 0, self::KEEP );
		update_option( self::OPTION, $failures, false );
	}

	/**
	 * Recent failures, newest first.
	 *
	 * @return array<int, array<string, mixed>>
	 */
	public static function recent(): array {
		$failures = get_option( self::OPTION, array() );
		return is_array( $failures ) ? $failures : array();
	}
}
