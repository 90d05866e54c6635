<?php
/**
 * Connect and Disconnect: the OAuth 2 authorization code flow (RFC 6749 4.1) with PKCE
 * (RFC 7636, S256) from the settings page, and revocation (RFC 7009).
 *
 * Connect sends the admin to the provider with a state that is random, bound to that
 * admin (user id), single-use and valid for ten minutes, and the S256 challenge of a
 * verifier that never leaves the server but in the code exchange. The provider sends
 * the admin back to the settings page (Oauth_Providers::redirect_uri()), which refuses
 * an unknown, used, expired or another user's state before anything else, then redeems
 * the code server side and stores the refresh token sealed (Oauth_Grant). The account
 * shown (and the SMTP user when none is typed) is the id_token's email: the id_token came
 * straight from the token endpoint over verified TLS, so its signature need not be
 * checked to trust it (OpenID Connect Core 3.1.3.7, item 6); without one, the userinfo
 * endpoint's; without that, the user name typed for the connection.
 *
 * @package Smtpx
 */

namespace Smtpx\WordPress;

defined( 'ABSPATH' ) || exit;

/**
 * The Connect flow.
 */
final class Oauth_Connect {

	public const CONNECT_ACTION    = 'smtpx_oauth_connect';
	public const DISCONNECT_ACTION = 'smtpx_oauth_disconnect';
	private const STATE_SECONDS    = 10 * MINUTE_IN_SECONDS;

	/**
	 * The admin_post_smtpx_oauth_connect action: saves the app's fields, then sends the
	 * admin to the provider.
	 */
	public static function handle_connect(): void {
		self::check_request( self::CONNECT_ACTION );
		Oauth_Grant::save_client(
			sanitize_text_field( wp_unslash( (string) ( $_POST['smtpx_oauth_client_id'] ?? '' ) ) ),
			trim( wp_unslash( (string) ( $_POST['smtpx_oauth_client_secret'] ?? '' ) ) ),
			preg_replace( '/[^A-Za-z0-9.-]/', '', wp_unslash( (string) ( $_POST['smtpx_oauth_tenant'] ?? '' ) ) )
		);
		$provider = sanitize_key( wp_unslash( (string) ( $_POST['smtpx_oauth_provider'] ?? '' ) ) );
		$url = self::authorization_url( $provider );
		if ( ! str_starts_with( $url, 'https://' ) ) {
			self::finish_with( false, $url );
		}
		// Not wp_safe_redirect(): the provider's own host, from the providers table or wp-config.php.
		wp_redirect( $url );
		exit;
	}

	/**
	 * The admin_post_smtpx_oauth_disconnect action: revokes the grant where the provider
	 * can, and forgets it.
	 */
	public static function handle_disconnect(): void {
		self::check_request( self::DISCONNECT_ACTION );
		$outcome = self::disconnect();
		self::finish_with( '' === $outcome, '' === $outcome ? __( 'The account is disconnected.', 'smtpx' ) : $outcome );
	}

	/**
	 * The admin_init action: the provider sent the admin back to the settings page.
	 */
	public static function maybe_handle_callback(): void {
		// No nonce: the state is this request's CSRF token (RFC 6749 10.12), checked in finish().
		if ( Settings_Page::SLUG !== ( $_GET['page'] ?? '' ) || 'callback' !== ( $_GET['smtpx_oauth'] ?? '' ) ) {
			return;
		}
		if ( ! current_user_can( 'manage_options' ) ) {
			wp_die( esc_html__( 'You are not allowed to connect the mail account.', 'smtpx' ), 403 );
		}
		$query = array();
		foreach ( array( 'state', 'code', 'error', 'error_description' ) as $key ) {
			$query[ $key ] = sanitize_text_field( wp_unslash( (string) ( $_GET[ $key ] ?? '' ) ) );
		}
		$outcome = self::finish( $query );
		self::finish_with( $outcome['ok'], $outcome['message'] );
	}

	/**
	 * The provider's authorization URL for a new Connect of the current user, or a
	 * sentence saying why there is none.
	 *
	 * @param string $provider_id google, microsoft or generic.
	 */
	public static function authorization_url( string $provider_id ): string {
		$provider = in_array( $provider_id, Oauth_Providers::offered(), true ) ? Oauth_Providers::get( $provider_id, Oauth_Grant::stored()['tenant'] ) : null;
		if ( null === $provider ) {
			return __( 'Choose Google or Microsoft.', 'smtpx' );
		}
		if ( '' === Oauth_Grant::client_id() ) {
			return __( 'Enter the client ID of the app registration first.', 'smtpx' );
		}
		if ( ! str_starts_with( $provider['authorize_url'], 'https://' ) ) {
			return __( 'The authorization URL (SMTPX_OAUTH_AUTHORIZE_URL) must start with https://.', 'smtpx' );
		}
		$state    = self::base64url( random_bytes( 32 ) );
		$verifier = self::base64url( random_bytes( 32 ) ); // 43 characters (RFC 7636 4.1).
		set_transient(
			self::state_key( $state ),
			array(
				'user'         => get_current_user_id(),
				'provider'     => $provider_id,
				'verifier'     => $verifier,
				'redirect_uri' => Oauth_Providers::redirect_uri(),
				'expires'      => time() + self::STATE_SECONDS,
			),
			self::STATE_SECONDS
		);
		$params = array_merge(
			array(
				'response_type'         => 'code',
				'client_id'             => Oauth_Grant::client_id(),
				'redirect_uri'          => Oauth_Providers::redirect_uri(),
				'scope'                 => $provider['scope'],
				'state'                 => $state,
				'code_challenge'        => self::challenge( $verifier ),
				'code_challenge_method' => 'S256',
			),
			$provider['params']
		);
		$login_hint = (string) Settings::value( 'username', 'primary' );
		if ( is_email( $login_hint ) ) {
			$params['login_hint'] = $login_hint;
		}
		return $provider['authorize_url'] . ( str_contains( $provider['authorize_url'], '?' ) ? '&' : '?' ) . http_build_query( $params, '', '&', PHP_QUERY_RFC3986 );
	}

	/**
	 * Finishes a Connect from the provider's answer: the state checked and used up, the
	 * code redeemed, the grant stored.
	 *
	 * @param array<string, string> $query state, code, error, error_description as the provider sent them.
	 * @return array{ok: bool, message: string}
	 */
	public static function finish( array $query ): array {
		$key   = self::state_key( $query['state'] ?? '' );
		$state = '' === ( $query['state'] ?? '' ) ? false : get_transient( $key );
		if ( is_array( $state ) ) {
			delete_transient( $key ); // Single use, whatever follows.
		}
		if ( ! is_array( $state ) || (int) $state['user'] !== get_current_user_id() || (int) $state['expires'] < time() ) {
			return self::outcome( false, __( 'This sign-in answer does not belong to a Connect you started (it is unknown, already used, older than ten minutes, or another user\'s). Nothing was changed: press Connect again.', 'smtpx' ) );
		}
		if ( '' !== ( $query['error'] ?? '' ) ) {
			/* translators: 1: OAuth error code such as access_denied, 2: the provider's description. */
			return self::outcome( false, sprintf( __( 'The provider did not authorize smtpx (%1$s %2$s). Nothing was changed.', 'smtpx' ), $query['error'], $query['error_description'] ?? '' ) );
		}
		$provider = Oauth_Providers::get( $state['provider'], Oauth_Grant::stored()['tenant'] );
		$answer   = Oauth_Token_Endpoint::post(
			$provider['token_url'],
			array(
				'grant_type'    => 'authorization_code',
				'code'          => $query['code'] ?? '',
				'redirect_uri'  => $state['redirect_uri'],
				'client_id'     => Oauth_Grant::client_id(),
				'client_secret' => Oauth_Grant::client_secret(),
				'code_verifier' => $state['verifier'],
			)
		);
		if ( '' !== $answer['error'] ) {
			/* translators: %s: the token endpoint's answer. */
			return self::outcome( false, sprintf( __( 'The provider refused to exchange the sign-in for tokens (%s). Check the client ID and secret and that the redirect URI is registered exactly as shown, then press Connect again.', 'smtpx' ), Oauth_Token_Endpoint::describe( $answer ) ) );
		}
		$refresh_token = is_string( $answer['body']['refresh_token'] ?? null ) ? $answer['body']['refresh_token'] : '';
		if ( '' === $refresh_token ) {
			return self::outcome( false, __( 'The provider gave no refresh token, so smtpx could send only for an hour. For Google, remove the app under myaccount.google.com/permissions and connect again; for Microsoft, make sure the app may ask for offline_access.', 'smtpx' ) );
		}
		$account = self::account_of( (string) ( $answer['body']['id_token'] ?? '' ) );
		if ( '' === $account && '' !== $provider['userinfo_url'] && is_string( $answer['body']['access_token'] ?? null ) ) {
			$account = Oauth_Token_Endpoint::userinfo_email( $provider['userinfo_url'], $answer['body']['access_token'] );
		}
		Oauth_Grant::connect( $state['provider'], $refresh_token, '' === $account ? (string) Settings::value( 'username', 'primary' ) : $account );
		/* translators: %s: the account's address. */
		return self::outcome( true, sprintf( __( 'Connected: smtpx sends as %s.', 'smtpx' ), Oauth_Grant::stored()['grant']['account'] ) );
	}

	/**
	 * Revokes the grant at the provider when it has a revocation endpoint, and forgets it.
	 *
	 * @return string "" when done, or what went wrong at the provider (the grant is forgotten anyway).
	 */
	public static function disconnect(): string {
		$grant         = Oauth_Grant::stored()['grant'];
		$refresh_token = Oauth_Grant::refresh_token();
		$provider      = Oauth_Providers::get( $grant['provider'], Oauth_Grant::stored()['tenant'] );
		Oauth_Grant::forget();
		if ( null === $refresh_token ) {
			return '';
		}
		Oauth_Token_Provider::forget_cached( $refresh_token );
		if ( null === $provider || '' === $provider['revoke_url'] ) {
			return '';
		}
		// RFC 7009 2.1: revoking the refresh token revokes the grant's access tokens too.
		$answer = Oauth_Token_Endpoint::post(
			$provider['revoke_url'],
			array(
				'token'           => $refresh_token,
				'token_type_hint' => 'refresh_token',
				'client_id'       => Oauth_Grant::client_id(),
				'client_secret'   => Oauth_Grant::client_secret(),
			)
		);
		if ( '' === $answer['error'] ) {
			return '';
		}
		/* translators: %s: the revocation endpoint's answer. */
		return sprintf( __( 'The account is disconnected here, but the provider did not confirm the revocation (%s): remove the app\'s access in the account\'s security settings.', 'smtpx' ), Oauth_Token_Endpoint::describe( $answer ) );
	}

	/**
	 * The outcome of the current user's last Connect or Disconnect, once.
	 *
	 * @return array{ok: bool, message: string}|null
	 */
	public static function take_outcome(): ?array {
		$outcome = get_transient( self::outcome_key() );
		delete_transient( self::outcome_key() );
		return is_array( $outcome ) ? $outcome : null;
	}

	/**
	 * The S256 code challenge of a verifier (RFC 7636 4.2).
	 *
	 * @param string $verifier The code verifier.
	 */
	public static function challenge( string $verifier ): string {
		return self::base64url( hash( 'sha256', $verifier, true ) );
	}

	/**
	 * The account an id_token names (its email, or Microsoft's preferred_username), "" without one.
	 *
	 * @param string $id_token A JWT, as the token endpoint returned it.
	 */
	private static function account_of( string $id_token ): string {
		$parts = explode( '.', $id_token );
		if ( 3 !== count( $parts ) ) {
			return '';
		}
		$claims  = json_decode( (string) base64_decode( strtr( $parts[1], '-_', '+/' ), true ), true ); // phpcs:ignore Generic.PHP.ForbiddenFunctions.Found -- a JWT's payload is base64url (RFC 7519 3).
		$account = is_array( $claims ) ? ( $claims['email'] ?? $claims['preferred_username'] ?? '' ) : '';
		return is_string( $account ) && is_email( $account ) ? $account : '';
	}

	/**
	 * Capability and nonce of an admin-post action.
	 *
	 * @param string $action The action.
	 */
	private static function check_request( string $action ): void {
		if ( ! current_user_can( 'manage_options' ) ) {
			wp_die( esc_html__( 'You are not allowed to connect the mail account.', 'smtpx' ), 403 );
		}
		check_admin_referer( $action );
	}

	/**
	 * Keeps an outcome for the settings page and goes there.
	 *
	 * @param bool   $ok      Whether it worked.
	 * @param string $message What to tell the admin.
	 */
	private static function finish_with( bool $ok, string $message ): void {
		set_transient( self::outcome_key(), self::outcome( $ok, $message ), 10 * MINUTE_IN_SECONDS );
		wp_safe_redirect( Settings_Page::url( array( 'smtpx-oauth' => $ok ? 'done' : 'failed' ) ) . '#smtpx-oauth' );
		exit;
	}

	/**
	 * An outcome.
	 *
	 * @param bool   $ok      Whether it worked.
	 * @param string $message What to tell the admin.
	 * @return array{ok: bool, message: string}
	 */
	private static function outcome( bool $ok, string $message ): array {
		return array(
			'ok'      => $ok,
			'message' => $message,
		);
	}

	/**
	 * Where a state waits for its answer: named by its hash, so the option table does not hold it.
	 *
	 * @param string $state The state.
	 */
	private static function state_key( string $state ): string {
		return 'smtpx_oauth_state_' . substr( hash( 'sha256', $state ), 0, 32 );
	}

	/**
	 * Where the current user's last outcome waits.
	 */
	private static function outcome_key(): string {
		return 'smtpx_oauth_outcome_' . get_current_user_id();
	}

	/**
	 * Base64url without padding (RFC 4648 5, RFC 7636 appendix A).
	 *
	 * @param string $bytes Bytes.
	 */
	private static function base64url( string $bytes ): string {
		return rtrim( strtr( base64_encode( $bytes ), '+/', '-_' ), '=' ); // phpcs:ignore Generic.PHP.ForbiddenFunctions.Found -- base64url by definition.
	}
}
