<?php
/**
 * The primary connection's OAuth 2 grant: the app's client id and secret (or the host's,
 * SMTPX_OAUTH_CLIENT_ID and SMTPX_OAUTH_CLIENT_SECRET, never stored), and what Connect
 * brought back: the provider, the refresh token, the account. Kept in the option
 * smtpx_oauth, apart from the connection's fields.
 *
 * Secrets are sealed like the password (Secret_Box). The refresh token is bound to
 * where it may go: the SMTP host it was connected for, the token endpoint and the
 * client id. A connection pointed at another host, or salts that changed, leave a grant
 * that does not open: the account must be connected again, and no mail goes out
 * without it.
 *
 * A grant the provider refused (invalid_grant: revoked, expired, consent withdrawn) is
 * marked so: from then on no token is asked for and no mail is attempted through the
 * connection until the admin connects again; the mail waits in the outbox (Retry_Policy)
 * and an admin notice, Site Health and an alert say so.
 *
 * @package Smtpx
 */

namespace Smtpx\WordPress;

defined( 'ABSPATH' ) || exit;

/**
 * Reads and writes the grant, and gives it to the transport.
 */
final class Oauth_Grant {

	public const OPTION = 'smtpx_oauth';

	/**
	 * The stored option with every key present.
	 *
	 * @return array<string, mixed>
	 */
	public static function stored(): array {
		return self::with_every_key( get_option( self::OPTION, array() ) );
	}

	/**
	 * The stored option as the database holds it now, not as this request first read it:
	 * a worker on this or another web node may have stored a rotated refresh token since.
	 *
	 * @return array<string, mixed>
	 */
	private static function stored_now(): array {
		global $wpdb;
		// phpcs:ignore WordPress.DB.DirectDatabaseQuery -- the point is to bypass this request's option cache.
		$value = $wpdb->get_var( $wpdb->prepare( "SELECT option_value FROM {$wpdb->options} WHERE option_name = %s", self::OPTION ) );
		return self::with_every_key( null === $value ? array() : maybe_unserialize( $value ) );
	}

	/**
	 * The option with every key present.
	 *
	 * @param mixed $stored The option's value.
	 * @return array<string, mixed>
	 */
	private static function with_every_key( $stored ): array {
		$stored = is_array( $stored ) ? $stored : array();
		$grant  = array(
			'provider'       => '',
			'refresh_token'  => '',
			'account'        => '',
			'host'           => '',
			'connected_at'   => 0,
			'revoked_at'     => 0,
			'revoked_reason' => '',
		);
		return array(
			'client_id'     => (string) ( $stored['client_id'] ?? '' ),
			'client_secret' => (string) ( $stored['client_secret'] ?? '' ),
			'tenant'        => (string) ( $stored['tenant'] ?? '' ),
			'grant'         => array_merge( $grant, is_array( $stored['grant'] ?? null ) ? $stored['grant'] : array() ),
		);
	}

	/**
	 * The client id: SMTPX_OAUTH_CLIENT_ID, or the one saved on the page.
	 */
	public static function client_id(): string {
		return defined( 'SMTPX_OAUTH_CLIENT_ID' ) ? (string) SMTPX_OAUTH_CLIENT_ID : self::stored()['client_id'];
	}

	/**
	 * The client secret: SMTPX_OAUTH_CLIENT_SECRET, or the one saved on the page ("" when
	 * none, or when it no longer opens).
	 */
	public static function client_secret(): string {
		if ( defined( 'SMTPX_OAUTH_CLIENT_SECRET' ) ) {
			return (string) SMTPX_OAUTH_CLIENT_SECRET;
		}
		$sealed = self::stored()['client_secret'];
		return '' === $sealed ? '' : (string) Secret_Box::open( $sealed, self::client_binding( self::client_id() ) );
	}

	/**
	 * Saves the app's client id, secret and tenant typed on the page; a field a constant
	 * sets is not stored, an empty secret keeps the saved one.
	 *
	 * @param string $client_id     As typed.
	 * @param string $client_secret As typed ("" keeps the saved one).
	 * @param string $tenant        As typed (Microsoft).
	 */
	public static function save_client( string $client_id, string $client_secret, string $tenant ): void {
		$stored    = self::stored();
		$former_id = self::client_id();
		if ( ! defined( 'SMTPX_OAUTH_CLIENT_ID' ) ) {
			$stored['client_id'] = $client_id;
		}
		// The saved secret is kept for its own client id only.
		$secret = '' === $client_secret && self::client_id_from( $stored ) === $former_id ? self::client_secret() : $client_secret;
		$stored['tenant'] = $tenant;
		if ( ! defined( 'SMTPX_OAUTH_CLIENT_SECRET' ) ) {
			// Sealed for the client id it belongs to: a changed id needs its own secret.
			$stored['client_secret'] = '' === $secret ? '' : Secret_Box::seal( $secret, self::client_binding( self::client_id_from( $stored ) ) );
		}
		update_option( self::OPTION, $stored );
	}

	/**
	 * Stores what Connect brought back, replacing any earlier grant, and makes the mail
	 * that waited for it due now.
	 *
	 * @param string $provider      google, microsoft or generic.
	 * @param string $refresh_token The refresh token.
	 * @param string $account       The account's address ("" when the provider did not say).
	 */
	public static function connect( string $provider, string $refresh_token, string $account ): void {
		$stored          = self::stored();
		$host            = Settings::host( 'primary' );
		$stored['grant'] = array(
			'provider'       => $provider,
			'refresh_token'  => Secret_Box::seal( $refresh_token, self::grant_binding( $provider, $host ) ),
			'account'        => $account,
			'host'           => $host,
			'connected_at'   => time(),
			'revoked_at'     => 0,
			'revoked_reason' => '',
		);
		update_option( self::OPTION, $stored );
		Outbox::make_queued_due();
	}

	/**
	 * Forgets the grant (Disconnect); the client id and secret stay for the next Connect.
	 */
	public static function forget(): void {
		$stored          = self::stored();
		$stored['grant'] = array();
		update_option( self::OPTION, $stored );
	}

	/**
	 * Whether Connect brought back a grant (usable or not).
	 */
	public static function connected(): bool {
		return '' !== self::stored()['grant']['refresh_token'];
	}

	/**
	 * The plain refresh token, or null when there is none or it does not open (the host
	 * changed, the salts changed).
	 *
	 * @param string|null $host The primary connection's host; null to look it up (not from
	 *                          inside the smtpx_transport filter, which gives it).
	 */
	public static function refresh_token( ?string $host = null ): ?string {
		return self::open_refresh_token( self::stored()['grant'], $host );
	}

	/**
	 * The refresh token to present instead of $configured: the grant's as the database
	 * holds it now when $configured is this grant's (as this request read it), for another
	 * worker may have rotated it since; $configured itself otherwise (a filter's own).
	 *
	 * @param string $configured The refresh token of the transport.
	 */
	public static function newest_refresh_token( string $configured ): string {
		if ( self::refresh_token() !== $configured ) {
			return $configured;
		}
		return self::open_refresh_token( self::stored_now()['grant'], null ) ?? $configured;
	}

	/**
	 * A grant's refresh token opened, or null.
	 *
	 * @param array<string, mixed> $grant The grant, as stored().
	 * @param string|null          $host  As for refresh_token().
	 */
	private static function open_refresh_token( array $grant, ?string $host ): ?string {
		if ( '' === $grant['refresh_token'] ) {
			return null;
		}
		return Secret_Box::open( $grant['refresh_token'], self::grant_binding( $grant['provider'], $host ?? Settings::host( 'primary' ) ) );
	}

	/**
	 * Why the grant cannot be used and the account must be connected again, "" when it
	 * can (or when the primary connection does not use OAuth, or nothing is connected).
	 */
	public static function reconnect_reason(): string {
		if ( ! self::connected() || ! self::connection_uses_oauth() ) {
			return '';
		}
		$grant = self::stored()['grant'];
		if ( $grant['revoked_at'] ) {
			return $grant['revoked_reason'];
		}
		if ( null === self::refresh_token() ) {
			/* translators: %s: the SMTP host the account was connected for. */
			return sprintf( __( 'the connected account was for %s and the connection now points elsewhere (or the salts in wp-config.php changed)', 'smtpx' ), $grant['host'] );
		}
		return '';
	}

	/**
	 * Whether the connected account must be connected again before mail can go out.
	 */
	public static function needs_reconnect(): bool {
		return '' !== self::reconnect_reason();
	}

	/**
	 * The smtpx_transport filter (early): an OAuth connection with a connected account
	 * gets the extension's oauth settings in place of an access token.
	 *
	 * @param array<string, mixed>|string|null|false $transport  The transport.
	 * @param string                                 $connection primary or fallback.
	 * @return array<string, mixed>|string|null|false
	 */
	public static function apply_to_transport( $transport, $connection ) {
		// An access token from wp-config.php (SMTPX_OAUTH_TOKEN) is the host's choice and wins.
		if ( 'primary' !== $connection || ! is_array( $transport ) || ! array_key_exists( 'oauth_token', $transport ) || defined( 'SMTPX_OAUTH_TOKEN' ) ) {
			return $transport;
		}
		$settings = self::oauth_settings( (string) ( $transport['host'] ?? '' ) );
		if ( null === $settings ) {
			return $transport;
		}
		unset( $transport['oauth_token'] );
		$transport['oauth'] = $settings;
		if ( '' === (string) ( $transport['username'] ?? '' ) ) {
			$transport['username'] = self::stored()['grant']['account'];
		}
		return $transport;
	}

	/**
	 * Keeps a refresh token the provider rotated to, when it replaced this grant's: after a
	 * send, from the result's oauth_refresh_token; without the extension, as soon as the
	 * token endpoint answers (Oauth_Token_Provider), so a send that fails after it does not
	 * lose it.
	 *
	 * @param string $used    The refresh token the send presented.
	 * @param string $rotated The one the provider answered with ("" when it did not rotate).
	 */
	public static function keep_rotated( string $used, string $rotated ): void {
		if ( '' === $rotated || '' === $used || $rotated === $used ) {
			return; // Nothing rotated.
		}
		$stored = self::stored_now(); // Another worker may have rotated it since this request read it.
		if ( self::open_refresh_token( $stored['grant'], null ) !== $used ) {
			return; // Not this grant's (a transport of a filter's own), or stored already.
		}
		$stored['grant']['refresh_token'] = Secret_Box::seal( $rotated, self::grant_binding( $stored['grant']['provider'], Settings::host( 'primary' ) ) );
		update_option( self::OPTION, $stored );
	}

	/**
	 * After a failed send: a refused grant (invalid_grant) is marked, and raises an alert
	 * once, so that no further token is asked for until the account is connected again.
	 *
	 * @param \Smtpx\Exception|Smtp_Failure $failure    The failure.
	 * @param string                        $connection primary or fallback.
	 */
	public static function note_failure( \Smtpx\Exception|Smtp_Failure $failure, string $connection ): void {
		if ( 'primary' !== $connection || 'auth' !== $failure->getPhase() || ! str_contains( $failure->getMessage(), 'invalid_grant' ) || ! self::connected() ) {
			return;
		}
		$stored = self::stored();
		if ( $stored['grant']['revoked_at'] ) {
			return;
		}
		$provider                          = Oauth_Providers::get( $stored['grant']['provider'] );
		$stored['grant']['revoked_at']     = time();
		$stored['grant']['revoked_reason'] = sprintf(
			/* translators: %s: Google, Microsoft or "your sign-in provider". */
			__( '%s refused the connected account\'s authorization (revoked, expired, or consent withdrawn)', 'smtpx' ),
			$provider ? $provider['label'] : $stored['grant']['provider']
		);
		update_option( self::OPTION, $stored );
		Alerts::reconnect_needed( $stored['grant']['revoked_reason'] );
	}

	/**
	 * The extension's oauth settings for the connected grant, null when there is none or it
	 * cannot be used.
	 *
	 * @param string $host The connection's host.
	 * @return array<string, string>|null
	 */
	private static function oauth_settings( string $host ): ?array {
		$stored        = self::stored();
		$refresh_token = self::refresh_token( $host );
		$provider      = Oauth_Providers::get( $stored['grant']['provider'], $stored['tenant'] );
		if ( null === $refresh_token || null === $provider || $stored['grant']['revoked_at'] ) {
			return null;
		}
		$settings = array(
			'provider'      => $provider['id'],
			'client_id'     => self::client_id(),
			'client_secret' => self::client_secret(),
			'refresh_token' => $refresh_token,
		);
		if ( 'microsoft' === $provider['id'] ) {
			$settings['tenant'] = $provider['tenant'];
		}
		if ( $provider['overridden'] || 'generic' === $provider['id'] ) {
			$settings['token_url'] = $provider['token_url'];
		}
		return $settings;
	}

	/**
	 * Whether the primary connection authenticates with OAuth (the transport would carry an
	 * access token or oauth settings).
	 */
	public static function connection_uses_oauth(): bool {
		$transport = Settings::transport( 'primary' );
		return is_array( $transport ) && ( array_key_exists( 'oauth_token', $transport ) || isset( $transport['oauth'] ) );
	}

	/**
	 * Where a refresh token may go: the SMTP host it was connected for, the token endpoint
	 * and the client id.
	 *
	 * @param string $provider_id google, microsoft or generic.
	 * @param string $host        The primary connection's host.
	 */
	private static function grant_binding( string $provider_id, string $host ): string {
		$provider = Oauth_Providers::get( $provider_id, self::stored()['tenant'] );
		return "oauth-refresh-token\n" . strtolower( $host ) . "\n" . ( $provider['token_url'] ?? '' ) . "\n" . self::client_id();
	}

	/**
	 * What a client secret is bound to: its client id.
	 *
	 * @param string $client_id The client id.
	 */
	private static function client_binding( string $client_id ): string {
		return "oauth-client-secret\n" . $client_id;
	}

	/**
	 * The client id as it will be after a save.
	 *
	 * @param array<string, mixed> $stored The option about to be saved.
	 */
	private static function client_id_from( array $stored ): string {
		return defined( 'SMTPX_OAUTH_CLIENT_ID' ) ? (string) SMTPX_OAUTH_CLIENT_ID : (string) $stored['client_id'];
	}
}
