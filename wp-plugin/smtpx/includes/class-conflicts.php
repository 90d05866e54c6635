<?php
/**
 * Other plugins that also take over WordPress's mail: one that defines the
 * pluggable wp_mail() (then core's wp_mail(), and smtpx with it, never runs), one
 * that puts its own PHPMailer subclass in the global, or one that switches the
 * mailer to its own SMTP settings in phpmailer_init. smtpx notes what it sees; the
 * admin notice names it.
 *
 * @package Smtpx
 */

namespace Smtpx\WordPress;

defined( 'ABSPATH' ) || exit;

/**
 * Detects and remembers conflicts.
 */
final class Conflicts {

	public const OPTION = 'smtpx_conflicts';

	/**
	 * Another plugin's phpmailer_init switched PHPMailer to another mailer (isSMTP(), isSendmail()).
	 *
	 * @param string $mailer PHPMailer's Mailer property.
	 */
	public static function note_mailer_changed( string $mailer ): void {
		self::note( 'mailer', $mailer );
	}

	/**
	 * Another plugin replaced the global $phpmailer with its own class.
	 *
	 * @param string $class_name The class found in the global.
	 */
	public static function note_foreign_mailer( string $class_name ): void {
		self::note( 'phpmailer_class', $class_name );
	}

	/**
	 * The file that defines wp_mail() when it is not WordPress's own pluggable.php.
	 */
	public static function wp_mail_defined_elsewhere(): ?string {
		if ( ! function_exists( 'wp_mail' ) ) {
			return null;
		}
		$file = ( new \ReflectionFunction( 'wp_mail' ) )->getFileName();
		return wp_normalize_path( (string) $file ) === wp_normalize_path( ABSPATH . WPINC . '/pluggable.php' ) ? null : (string) $file;
	}

	/**
	 * What was seen, as kind => detail.
	 *
	 * @return array<string, string>
	 */
	public static function seen(): array {
		$seen = get_option( self::OPTION, array() );
		return is_array( $seen ) ? $seen : array();
	}

	/**
	 * Forgets what was seen (after saving settings, so a deactivated plugin stops being named).
	 */
	public static function forget(): void {
		delete_option( self::OPTION );
	}

	/**
	 * Stores a conflict once; mail is sent often and the database is written only on change.
	 *
	 * @param string $kind   mailer or phpmailer_class.
	 * @param string $detail What was found.
	 */
	private static function note( string $kind, string $detail ): void {
		$seen = self::seen();
		if ( ( $seen[ $kind ] ?? null ) !== $detail ) {
			$seen[ $kind ] = $detail;
			update_option( self::OPTION, $seen, false );
		}
	}
}
