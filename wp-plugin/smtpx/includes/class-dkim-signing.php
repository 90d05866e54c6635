<?php
/**
 * Who signs each message with the site's DKIM key. The extension signs at submission
 * (RSA or Ed25519, streamed, once: it adds no second signature with the same domain
 * and selector) when it is given the key in the transport array. Where it cannot be
 * (no extension, or a connection given as a DSN by SMTPX_DSN or the smtpx.dsn INI
 * setting), PHPMailer signs the composed message with its DKIM_* properties instead,
 * which know RSA only: an Ed25519 key then signs nothing, and the settings page says so.
 *
 * @package Smtpx
 */

namespace Smtpx\WordPress;

use PHPMailer\PHPMailer\PHPMailer;

defined( 'ABSPATH' ) || exit;

/**
 * DKIM for the extension's transport and for PHPMailer.
 */
final class Dkim_Signing {

	/**
	 * The transport with the extension's dkim key added (array transports only).
	 *
	 * @param array<string, mixed>|string|null|false $transport Settings::transport().
	 * @return array<string, mixed>|string|null|false
	 */
	public static function add_to_transport( $transport ) {
		$key = Dkim_Settings::key();
		if ( ! is_array( $transport ) || null === $key || ! Settings::extension_loaded() ) {
			return $transport;
		}
		$transport['dkim'] = array_filter(
			array(
				'domain'      => $key['domain'],
				'selector'    => $key['selector'],
				'algorithm'   => $key['algorithm'],
				'private_key' => $key['private_key'],
				'passphrase'  => $key['passphrase'],
			),
			'strlen'
		);
		return $transport;
	}

	/**
	 * Whether PHPMailer must sign at composition: some connection cannot carry the key
	 * to the extension.
	 */
	public static function phpmailer_signs(): bool {
		if ( ! Settings::extension_loaded() ) {
			return true;
		}
		foreach ( Settings::CONNECTIONS as $connection ) {
			$transport = Settings::transport( $connection );
			if ( false !== $transport && ! is_array( $transport ) ) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Why the configured key signs nothing, or "" when it signs every message.
	 */
	public static function unsigned_reason(): string {
		$key = Dkim_Settings::key();
		if ( null === $key || Dkim_Key::RSA === $key['algorithm'] || ! self::phpmailer_signs() ) {
			return '';
		}
		return Settings::extension_loaded()
			? __( 'Mail is not signed: a connection set by SMTPX_DSN or smtpx.dsn is signed by PHPMailer, which knows only RSA keys. Generate an RSA key, or set the connection field by field.', 'smtpx' )
			: __( 'Mail is not signed: without the smtpx extension PHPMailer signs, and it knows only RSA keys. Generate an RSA key, or ask your host for the extension.', 'smtpx' );
	}

	/**
	 * The phpmailer_init action, first of all: PHPMailer's DKIM properties for the
	 * message about to be composed, set when PHPMailer signs and cleared otherwise (the
	 * mailer is reused for every wp_mail()); a later phpmailer_init may still set its own.
	 *
	 * @param PHPMailer $mailer The mailer.
	 */
	public static function prepare_phpmailer( $mailer ): void {
		if ( ! $mailer instanceof PHPMailer || ! Settings::routes_mail() ) {
			return;
		}
		$key  = Dkim_Settings::key();
		$sign = null !== $key && Dkim_Key::RSA === $key['algorithm'] && self::phpmailer_signs();
		$mailer->DKIM_domain           = $sign ? $key['domain'] : '';
		$mailer->DKIM_selector         = $sign ? $key['selector'] : '';
		$mailer->DKIM_private_string   = $sign ? $key['private_key'] : '';
		$mailer->DKIM_passphrase       = $sign ? $key['passphrase'] : '';
		$mailer->DKIM_copyHeaderFields = false; // No z= copy of every header: it only doubles their size.
	}
}
