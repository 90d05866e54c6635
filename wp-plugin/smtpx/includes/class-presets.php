<?php
/**
 * What each mail provider documents about its SMTP submission service: host, the
 * ports it listens on with their TLS mode, and how it names user and secret.
 *
 * Ports are listed in the order the extension should try them: the submission
 * ports first (587, then 2525 where offered, which hosts rarely block), implicit
 * TLS next, and 25 last because most cloud hosts block it (Google Cloud, Azure,
 * Linode/Akamai, Hetzner).
 *
 * Providers with an HTTPS API (the extension's `api` transports) can be used over it
 * instead, for hosts that block every SMTP port, or over SMTP with the API as fallback.
 * Mailgun's and SES's APIs take the message PHPMailer composed; SendGrid's, Postmark's
 * and Brevo's take the message's fields, which the plugin reads from PHPMailer once
 * every filter and phpmailer_init ran (Message_Fields). SendGrid's SMTP password and
 * Postmark's are their API's key too, so their SMTP connections fall back to the API
 * with it; the others need the API's own secret as the optional fallback key.
 *
 * @package Smtpx
 */

namespace Smtpx\WordPress;

defined( 'ABSPATH' ) || exit;

/**
 * The presets table.
 */
final class Presets {

	/**
	 * Every preset by id.
	 *
	 * Keys: label, host (REGION is replaced by the region field), ports (the
	 * extension's port syntax), auth (password, oauth, or both), user (a fixed user
	 * name or null), user_hint and secret_hint (what to type), region (bool).
	 * With an HTTPS API: api (the extension's name for it), api_host (where it is,
	 * REGION as for host), api_region (Mailgun's EU region), and what to type over the
	 * API: api_user_hint, api_secret_hint, and api_key_hint (the SMTP connection's
	 * optional fallback key: the API's secret, which is not the SMTP one), or
	 * api_same_secret (the SMTP password is the API's key: no fallback key asked).
	 *
	 * @return array<string, array<string, mixed>>
	 */
	public static function all(): array {
		return array(
			'sendgrid'         => array(
				'label'       => __( 'SendGrid', 'smtpx' ),
				'host'        => 'smtp.sendgrid.net',
				'ports'       => array( 587, 2525, '465/tls', 25 ),
				'auth'        => array( 'password' ),
				'user'        => 'apikey',
				'user_hint'       => __( 'Always the literal word "apikey".', 'smtpx' ),
				'secret_hint'     => __( 'An API key with the "Mail Send" permission.', 'smtpx' ),
				'api'             => 'sendgrid',
				'api_host'        => 'api.sendgrid.com',
				'api_user_hint'   => '',
				'api_secret_hint' => __( 'An API key with the "Mail Send" permission.', 'smtpx' ),
				'api_same_secret' => true,
			),
			'mailgun_us'       => array(
				'label'           => __( 'Mailgun (US)', 'smtpx' ),
				'host'            => 'smtp.mailgun.org',
				'ports'           => array( 587, 2525, '465/tls', 25 ),
				'auth'            => array( 'password' ),
				'user_hint'       => __( 'The domain\'s SMTP login, e.g. postmaster@mg.example.com.', 'smtpx' ),
				'secret_hint'     => __( 'The password of that SMTP login.', 'smtpx' ),
				'api'             => 'mailgun',
				'api_host'        => 'api.mailgun.net',
				'api_user_hint'   => __( 'The sending domain, e.g. mg.example.com.', 'smtpx' ),
				'api_secret_hint' => __( 'A sending API key of that domain (not the SMTP password).', 'smtpx' ),
				'api_key_hint'    => __( 'Optional: a sending API key of the login\'s domain, so mail goes over Mailgun\'s HTTPS API when this server cannot reach any SMTP port.', 'smtpx' ),
			),
			'mailgun_eu'       => array(
				'label'           => __( 'Mailgun (EU)', 'smtpx' ),
				'host'            => 'smtp.eu.mailgun.org',
				'ports'           => array( 587, 2525, '465/tls', 25 ),
				'auth'            => array( 'password' ),
				'user_hint'       => __( 'The domain\'s SMTP login, e.g. postmaster@mg.example.com.', 'smtpx' ),
				'secret_hint'     => __( 'The password of that SMTP login.', 'smtpx' ),
				'api'             => 'mailgun',
				'api_host'        => 'api.eu.mailgun.net',
				'api_region'      => 'eu',
				'api_user_hint'   => __( 'The sending domain, e.g. mg.example.com.', 'smtpx' ),
				'api_secret_hint' => __( 'A sending API key of that domain (not the SMTP password).', 'smtpx' ),
				'api_key_hint'    => __( 'Optional: a sending API key of the login\'s domain, so mail goes over Mailgun\'s HTTPS API when this server cannot reach any SMTP port.', 'smtpx' ),
			),
			'google'           => array(
				'label'       => __( 'Google Workspace / Gmail', 'smtpx' ),
				'host'        => 'smtp.gmail.com',
				'ports'       => array( 587, '465/tls' ),
				'auth'        => array( 'password', 'oauth' ),
				'user_hint'   => __( 'The full Google address.', 'smtpx' ),
				'secret_hint' => __( 'An app password (not the account password); with OAuth 2, leave it empty and connect the account below.', 'smtpx' ),
			),
			'google_relay'     => array(
				'label'       => __( 'Google Workspace SMTP relay', 'smtpx' ),
				'host'        => 'smtp-relay.gmail.com',
				'ports'       => array( 587, '465/tls' ),
				'auth'        => array( 'password', 'oauth', 'none' ),
				'user_hint'   => __( 'A Workspace address, or leave empty when the relay allows this server\'s IP address.', 'smtpx' ),
				'secret_hint' => __( 'An app password, or empty with an IP allowlist.', 'smtpx' ),
			),
			'ses'              => array(
				'label'           => __( 'Amazon SES', 'smtpx' ),
				'host'            => 'email-smtp.REGION.amazonaws.com',
				'ports'           => array( 587, 2587, '465/tls', '2465/tls', 25 ),
				'auth'            => array( 'password' ),
				'region'          => true,
				'user_hint'       => __( 'The SMTP user name from the SES console (not an access key of another IAM user).', 'smtpx' ),
				'secret_hint'     => __( 'The SMTP password derived for that user.', 'smtpx' ),
				'api'             => 'ses',
				'api_host'        => 'email.REGION.amazonaws.com',
				'api_user_hint'   => __( 'The access key ID of an IAM user allowed to send with SES (ses:SendEmail, ses:SendRawEmail).', 'smtpx' ),
				'api_secret_hint' => __( 'That access key\'s secret access key.', 'smtpx' ),
				'api_key_hint'    => __( 'Optional: the secret access key of the IAM access key the SMTP user name is, so mail goes over the SES API when this server cannot reach any SMTP port.', 'smtpx' ),
			),
			'postmark'         => array(
				'label'       => __( 'Postmark', 'smtpx' ),
				'host'        => 'smtp.postmarkapp.com',
				'ports'       => array( 587, 2525, 25 ),
				'auth'        => array( 'password' ),
				'user_hint'       => __( 'The server API token (the same value as the password); leave empty to reuse the token.', 'smtpx' ),
				'secret_hint'     => __( 'The server API token.', 'smtpx' ),
				'api'             => 'postmark',
				'api_host'        => 'api.postmarkapp.com',
				'api_user_hint'   => '',
				'api_secret_hint' => __( 'The server API token (not the account token).', 'smtpx' ),
				'api_same_secret' => true,
			),
			'brevo'            => array(
				'label'       => __( 'Brevo', 'smtpx' ),
				'host'        => 'smtp-relay.brevo.com',
				'ports'       => array( 587, 2525, '465/tls' ),
				'auth'        => array( 'password' ),
				'user_hint'       => __( 'The SMTP login shown under "SMTP & API".', 'smtpx' ),
				'secret_hint'     => __( 'An SMTP key (not the API key).', 'smtpx' ),
				'api'             => 'brevo',
				'api_host'        => 'api.brevo.com',
				'api_user_hint'   => '',
				'api_secret_hint' => __( 'An API key (xkeysib-...) from "SMTP & API" (not the SMTP key).', 'smtpx' ),
				'api_key_hint'    => __( 'Optional: an API key (xkeysib-...) from "SMTP & API", so mail goes over Brevo\'s HTTPS API when this server cannot reach any SMTP port (the SMTP key is not one).', 'smtpx' ),
			),
			'microsoft365'     => array(
				'label'       => __( 'Microsoft 365', 'smtpx' ),
				'host'        => 'smtp.office365.com',
				'ports'       => array( 587 ),
				'auth'        => array( 'oauth' ),
				'user_hint'   => __( 'The mailbox address.', 'smtpx' ),
				'secret_hint' => __( 'Leave empty and connect the mailbox below (OAuth 2; or paste an access token): Microsoft rejects passwords for SMTP since April 2026.', 'smtpx' ),
			),
			'other'            => array(
				'label'       => __( 'Other SMTP', 'smtpx' ),
				'host'        => '',
				'ports'       => array( 587, 2525, '465/tls' ),
				'auth'        => array( 'password', 'oauth', 'none' ),
				'user_hint'   => __( 'As your provider documents it.', 'smtpx' ),
				'secret_hint' => __( 'As your provider documents it.', 'smtpx' ),
			),
		);
	}

	/**
	 * One preset, or null for an unknown id.
	 *
	 * @param string $id Preset id.
	 * @return array<string, mixed>|null
	 */
	public static function get( string $id ): ?array {
		return self::all()[ $id ] ?? null;
	}

	/**
	 * The host a preset submits to; empty when the preset needs a host or region it was not given.
	 *
	 * @param array<string, mixed> $preset    A preset from all().
	 * @param string               $host      The host typed for "Other SMTP".
	 * @param string               $region    The region typed for presets with one.
	 */
	public static function host( array $preset, string $host, string $region ): string {
		if ( '' === $preset['host'] ) {
			return $host;
		}
		return self::with_region( $preset, $preset['host'], $region );
	}

	/**
	 * The host of a preset's HTTPS API; empty without an API, or without the region it needs.
	 *
	 * @param array<string, mixed> $preset A preset from all().
	 * @param string               $region The region typed for presets with one.
	 */
	public static function api_host( array $preset, string $region ): string {
		return isset( $preset['api_host'] ) ? self::with_region( $preset, $preset['api_host'], $region ) : '';
	}

	/**
	 * $host with REGION replaced for presets with a region; empty when the region is not one.
	 *
	 * @param array<string, mixed> $preset A preset from all().
	 * @param string               $host   A host of the preset.
	 * @param string               $region The region typed.
	 */
	private static function with_region( array $preset, string $host, string $region ): string {
		if ( empty( $preset['region'] ) ) {
			return $host;
		}
		return preg_match( '/^[a-z]{2}(-[a-z]+)+-\d$/', $region ) ? str_replace( 'REGION', $region, $host ) : '';
	}

	/**
	 * The preset whose host this is, so error hints can speak of the provider.
	 *
	 * @param string $host A host name.
	 */
	public static function id_for_host( string $host ): string {
		foreach ( self::all() as $id => $preset ) {
			$pattern = '/^' . str_replace( 'REGION', '[a-z0-9-]+', preg_quote( $preset['host'], '/' ) ) . '$/i';
			if ( '' !== $preset['host'] && preg_match( $pattern, $host ) ) {
				return $id;
			}
		}
		return 'other';
	}
}
