<?php
/**
 * Tells the site owner why mail does or does not go through smtpx: the extension
 * is missing (PHPMailer's SMTP client sends instead, and a connection set to an
 * HTTPS API sends nothing, or goes over SMTP where the API's key is the SMTP password
 * too), nothing is configured, another plugin takes over mail, or the
 * staging switch SMTPX_DO_NOT_SEND drops every mail (also shown in the admin bar).
 *
 * @package Smtpx
 */

namespace Smtpx\WordPress;

defined( 'ABSPATH' ) || exit;

/**
 * Admin notices and the admin bar node.
 */
final class Notices {

	/**
	 * What needs the owner's attention, as notice class => message.
	 *
	 * @return array<int, array{0: string, 1: string}>
	 */
	public static function problems(): array {
		$problems = array();
		if ( Settings::do_not_send() ) {
			$problems[] = array( 'warning', __( 'smtpx: SMTPX_DO_NOT_SEND is set in wp-config.php, so mail is accepted and dropped (each one is logged). Remove it on the live site.', 'smtpx' ) );
		}
		if ( ! Settings::extension_loaded() ) {
			$problems[] = array( 'warning', __( 'smtpx: the smtpx PHP extension is not loaded, so smtpx sends through PHPMailer\'s SMTP client, trying one port after another. The extension adds pooled connections, port racing and one round trip per mail: ask your host to install it (phpize, ./configure --enable-smtpx, make install; or PIE).', 'smtpx' ) );
		}
		foreach ( Settings::CONNECTIONS as $connection ) {
			if ( ! Settings::extension_loaded() && Settings::uses_api( $connection ) ) {
				/* translators: %s: primary or fallback. */
				$problems[] = array( 'error', sprintf( __( 'smtpx: the %s connection sends over the provider\'s HTTPS API, which needs the smtpx extension, so no mail goes through it: mail waits in the outbox (or goes through the other connection). Ask your host to install the extension, or choose "Send over: SMTP", which works without it.', 'smtpx' ), $connection ) );
			}
			if ( Settings::api_over_smtp( $connection ) ) {
				/* translators: %s: primary or fallback. */
				$problems[] = array( 'warning', sprintf( __( 'smtpx: the %s connection is set to the provider\'s HTTPS API, which needs the smtpx extension, so its mail goes over SMTP with the same key until the extension is installed (where this server cannot reach any SMTP port, it waits in the outbox). Ask your host to install the extension.', 'smtpx' ), $connection ) );
			}
			if ( Settings::secret_unreadable( $connection ) ) {
				/* translators: %s: primary or fallback. */
				$problems[] = array( 'error', sprintf( __( 'smtpx: the saved password of the %s connection cannot be read any more (the salts in wp-config.php changed), so no mail is sent through it; mail waits in the outbox. Enter the password again.', 'smtpx' ), $connection ) );
			}
		}
		if ( Oauth_Grant::needs_reconnect() ) {
			/* translators: %s: why the account must be connected again. */
			$problems[] = array( 'error', sprintf( __( 'smtpx: %s, so no mail is sent through the primary connection; mail waits in the outbox. Connect the account again under Settings > smtpx.', 'smtpx' ), Oauth_Grant::reconnect_reason() ) );
		}
		if ( ! Settings::is_configured( 'primary' ) ) {
			$problems[] = array( 'warning', __( 'smtpx: no connection is configured, so WordPress sends mail its own way. Choose a provider under Settings > smtpx.', 'smtpx' ) );
		}
		$file = Conflicts::wp_mail_defined_elsewhere();
		if ( null !== $file ) {
			/* translators: %s: path of the PHP file that defines wp_mail(). */
			$problems[] = array( 'error', sprintf( __( 'smtpx: another plugin replaces wp_mail() (defined in %s), so smtpx never sees the mail. Deactivate that plugin to send through smtpx.', 'smtpx' ), $file ) );
		}
		$seen = Conflicts::seen();
		if ( isset( $seen['phpmailer_class'] ) ) {
			/* translators: %s: PHP class name. */
			$problems[] = array( 'warning', sprintf( __( 'smtpx: another plugin put its own mailer (%s) in place of WordPress\'s; smtpx replaced it. Deactivate the other mail plugin to avoid surprises.', 'smtpx' ), $seen['phpmailer_class'] ) );
		}
		if ( isset( $seen['mailer'] ) ) {
			/* translators: %s: PHPMailer mailer name such as smtp or sendmail. */
			$problems[] = array( 'warning', sprintf( __( 'smtpx: another plugin switches WordPress\'s mailer to "%s" in phpmailer_init; smtpx sends the mail anyway. Deactivate the other SMTP plugin.', 'smtpx' ), $seen['mailer'] ) );
		}
		return $problems;
	}

	/**
	 * The admin_notices action, for those who can fix it.
	 */
	public static function render(): void {
		if ( ! current_user_can( 'manage_options' ) ) {
			return;
		}
		$screen = get_current_screen();
		if ( $screen && 'settings_page_' . Settings_Page::SLUG === $screen->id ) {
			return; // The page shows the same in its status box.
		}
		foreach ( self::problems() as list( $kind, $message ) ) {
			printf(
				'<div class="notice notice-%1$s smtpx-notice"><p>%2$s <a href="%3$s">%4$s</a></p></div>',
				esc_attr( $kind ),
				esc_html( $message ),
				esc_url( Settings_Page::url() ),
				esc_html__( 'smtpx settings', 'smtpx' )
			);
		}
	}

	/**
	 * The status box on the settings page.
	 */
	public static function render_status(): void {
		$problems = self::problems();
		foreach ( $problems as list( $kind, $message ) ) {
			printf( '<div class="notice notice-%1$s inline smtpx-notice"><p>%2$s</p></div>', esc_attr( $kind ), esc_html( $message ) );
		}
		// Another plugin's wp_mail() never reaches smtpx: then nothing "goes through" it.
		if ( Settings::routes_mail() && ! Settings::do_not_send() && null === Conflicts::wp_mail_defined_elsewhere() ) {
			$status = Settings::extension_loaded()
				/* translators: 1: extension version, 2: host. */
				? sprintf( __( 'Every wp_mail() goes through smtpx %1$s to %2$s.', 'smtpx' ), (string) phpversion( 'smtpx' ), Settings::host( 'primary' ) )
				/* translators: %s: host. */
				: sprintf( __( 'Every wp_mail() goes through PHPMailer\'s SMTP client to %s.', 'smtpx' ), Settings::host( 'primary' ) );
			printf( '<div class="notice notice-success inline smtpx-status"><p>%s</p></div>', esc_html( $status ) );
		}
	}

	/**
	 * The admin_bar_menu action: a visible reminder on staging sites.
	 *
	 * @param \WP_Admin_Bar $admin_bar The admin bar.
	 */
	public static function admin_bar( $admin_bar ): void {
		if ( ! Settings::do_not_send() || ! current_user_can( 'manage_options' ) ) {
			return;
		}
		$admin_bar->add_node(
			array(
				'id'    => 'smtpx-do-not-send',
				'title' => esc_html__( 'Mail is not sent (SMTPX_DO_NOT_SEND)', 'smtpx' ),
				'href'  => Settings_Page::url(),
			)
		);
	}
}
