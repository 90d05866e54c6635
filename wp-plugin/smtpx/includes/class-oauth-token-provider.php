<?php
/**
 * The access token for PHPMailer's XOAUTH2 on hosts without the extension (PHPMailer's
 * SMTP::authenticate() asks its OAuth object for getOauth64()): an access token given
 * as it is (oauth_token), or one got from the refresh token (transport key oauth, as the
 * extension takes it) with wp_remote_post and kept in a transient, shared by the site's
 * PHP workers, until 80% of its lifetime or five minutes before it ends, whichever is
 * sooner, but never before half of it (as the extension refreshes). The transient is
 * named by a keyed hash of the refresh token and never holds it.
 *
 * One worker at a time refreshes, under a named lock of the site's database (so web
 * nodes that share it take turns too): the others wait, then take the token it got, and
 * the refresh token presented is the newest stored, so a provider that rotates refresh
 * tokens never sees one twice (which some answer by revoking the grant).
 *
 * Failures are Smtp_Failure in the auth phase, read as the extension reads them:
 * invalid_grant (revoked, expired) is permanent and says to connect the account again;
 * an endpoint that is down, slow or answers 5xx or 429 is transient; anything else
 * permanent, pointing at the client id and secret.
 *
 * @package Smtpx
 */

namespace Smtpx\WordPress;

defined( 'ABSPATH' ) || exit;

/**
 * XOAUTH2's initial response for PHPMailer.
 */
final class Oauth_Token_Provider {

	/**
	 * The mailbox.
	 *
	 * @var string
	 */
	private $user;

	/**
	 * The extension's oauth settings, or null for a fixed access token.
	 *
	 * @var array<string, string>|null
	 */
	private $oauth;

	/**
	 * The access token, once known.
	 *
	 * @var string
	 */
	private $token;

	/**
	 * Whether the token came from the transient rather than the token endpoint just now.
	 *
	 * @var bool
	 */
	private $cached = false;

	/**
	 * A refresh token the provider rotated to, "" when it did not.
	 *
	 * @var string
	 */
	private $rotated = '';

	/**
	 * Keeps the user and how to get the token.
	 *
	 * @param string                     $user         The mailbox.
	 * @param array<string, string>|null $oauth        The transport's oauth settings, or null.
	 * @param string                     $access_token The transport's oauth_token when $oauth is null.
	 */
	public function __construct( string $user, ?array $oauth, string $access_token = '' ) {
		$this->user  = $user;
		$this->oauth = $oauth;
		$this->token = $access_token;
	}

	/**
	 * The XOAUTH2 initial response PHPMailer sends (Google's and Microsoft's format).
	 *
	 * @throws Smtp_Failure When no access token can be had.
	 */
	public function getOauth64(): string {
		// phpcs:ignore Generic.PHP.ForbiddenFunctions.Found -- the SASL response is base64 by definition.
		return base64_encode( 'user=' . $this->user . "\001auth=Bearer " . $this->access_token() . "\001\001" );
	}

	/**
	 * The access token: given, cached, or asked for now.
	 *
	 * @throws Smtp_Failure When the token endpoint refuses or cannot be reached.
	 */
	public function access_token(): string {
		if ( null === $this->oauth || '' !== $this->token ) {
			return $this->token;
		}
		$key = self::cache_key( (string) $this->oauth['refresh_token'] );
		if ( $this->take_cached( $key ) ) {
			return $this->token;
		}
		// One lock per grant, whichever of its refresh tokens a worker was configured with.
		$lock = 'smtpx_oauth_' . substr( hash_hmac( 'sha256', $this->token_url() . "\n" . ( $this->oauth['client_id'] ?? '' ) . "\n" . $this->user, wp_salt( 'auth' ) ), 0, 32 );
		if ( ! self::lock( $lock ) ) {
			throw new Smtp_Failure( __( 'cannot get an OAuth2 access token: another request has been refreshing it for too long. Try again later.', 'smtpx' ), 'auth', '', true );
		}
		try {
			return $this->refresh();
		} finally {
			self::unlock( $lock );
		}
	}

	/**
	 * Takes the access token cached under $key while it is not due.
	 *
	 * @param string $key    From cache_key().
	 * @param bool   $reread Read what other workers stored since this request looked.
	 */
	private function take_cached( string $key, bool $reread = false ): bool {
		if ( $reread && ! wp_using_ext_object_cache() ) {
			// The transient lives in wp_options; forget this request's copy, or its absence.
			wp_cache_delete( '_transient_' . $key, 'options' );
			wp_cache_delete( '_transient_timeout_' . $key, 'options' );
			wp_cache_delete( 'notoptions', 'options' );
		}
		$cached = get_transient( $key );
		if ( ! is_array( $cached ) || (int) $cached['refresh_at'] <= time() ) {
			return false;
		}
		$this->cached = true;
		$this->token  = (string) $cached['token'];
		return true;
	}

	/**
	 * Under the lock: takes the token another worker stored meanwhile (under the grant's
	 * newest refresh token, and under the one it replaced), or asks the token endpoint
	 * with that newest refresh token.
	 *
	 * @throws Smtp_Failure When the token endpoint refuses or cannot be reached.
	 */
	private function refresh(): string {
		$this->oauth['refresh_token'] = Oauth_Grant::newest_refresh_token( (string) $this->oauth['refresh_token'] );
		$key                          = self::cache_key( (string) $this->oauth['refresh_token'] );
		if ( $this->take_cached( $key, true ) ) {
			return $this->token;
		}
		$asked_at = time();
		$answer   = Oauth_Token_Endpoint::post( $this->token_url(), $this->refresh_form() );
		$token    = is_string( $answer['body']['access_token'] ?? null ) ? $answer['body']['access_token'] : '';
		if ( '' !== $answer['error'] || '' === $token ) {
			throw self::failure( $answer );
		}
		// RFC 6749 5.1 recommends expires_in; without it, an hour, as both providers give.
		$lifetime   = max( 1, min( (int) ( $answer['body']['expires_in'] ?? 3600 ), DAY_IN_SECONDS ) );
		// As the extension: for a token shorter than ten minutes, "five minutes before the end"
		// would come before it was issued, and every send would refresh.
		$refresh_at = max( $asked_at + intdiv( $lifetime, 2 ), min( $asked_at + intdiv( $lifetime * 8, 10 ), $asked_at + $lifetime - 300 ) );
		$rotated    = is_string( $answer['body']['refresh_token'] ?? null ) ? $answer['body']['refresh_token'] : '';
		$rotated    = $rotated === $this->oauth['refresh_token'] ? '' : $rotated;
		if ( $refresh_at > time() ) {
			// Under the rotated refresh token too: the next send presents that one.
			foreach ( array_filter( array( $key, '' === $rotated ? '' : self::cache_key( $rotated ) ) ) as $cache_key ) {
				set_transient(
					$cache_key,
					array(
						'token'      => $token,
						'refresh_at' => $refresh_at,
					),
					$refresh_at - time()
				);
			}
		}
		if ( '' !== $rotated ) {
			$this->rotated = $rotated;
			Oauth_Grant::keep_rotated( (string) $this->oauth['refresh_token'], $rotated );
		}
		$this->token = $token;
		return $token;
	}

	/**
	 * The refresh token the provider rotated to in this send, "" when it did not.
	 */
	public function rotated_refresh_token(): string {
		return $this->rotated;
	}

	/**
	 * After a refused AUTH: a cached token is dropped, so the next attempt asks for a new one.
	 */
	public function forget_refused(): void {
		if ( $this->cached && null !== $this->oauth ) {
			self::forget_cached( (string) $this->oauth['refresh_token'] );
		}
	}

	/**
	 * Drops the access token cached for a refresh token (Disconnect, a refused token).
	 *
	 * @param string $refresh_token The refresh token.
	 */
	public static function forget_cached( string $refresh_token ): void {
		delete_transient( self::cache_key( $refresh_token ) );
	}

	/**
	 * The token endpoint: the transport's, or the provider's own.
	 */
	private function token_url(): string {
		if ( '' !== (string) ( $this->oauth['token_url'] ?? '' ) ) {
			return (string) $this->oauth['token_url'];
		}
		$provider = Oauth_Providers::get( (string) ( $this->oauth['provider'] ?? '' ), (string) ( $this->oauth['tenant'] ?? '' ) );
		return null === $provider ? '' : $provider['token_url'];
	}

	/**
	 * The refresh_token grant's form (RFC 6749 6); Microsoft needs the scope again.
	 *
	 * @return array<string, string>
	 */
	private function refresh_form(): array {
		$form  = array(
			'grant_type'    => 'refresh_token',
			'refresh_token' => (string) $this->oauth['refresh_token'],
			'client_id'     => (string) ( $this->oauth['client_id'] ?? '' ),
		);
		$scope = (string) ( $this->oauth['scope'] ?? '' );
		if ( '' === $scope && 'microsoft' === ( $this->oauth['provider'] ?? '' ) ) {
			$scope = 'https://outlook.office.com/SMTP.Send offline_access';
		}
		if ( '' !== (string) ( $this->oauth['client_secret'] ?? '' ) ) {
			$form['client_secret'] = (string) $this->oauth['client_secret'];
		}
		if ( '' !== $scope ) {
			$form['scope'] = $scope;
		}
		return $form;
	}

	/**
	 * What a refused or failed refresh means.
	 *
	 * @param array{status: int, body: array<string, mixed>, error: string} $answer From Oauth_Token_Endpoint::post().
	 */
	private static function failure( array $answer ): Smtp_Failure {
		$transient = 0 === $answer['status'] || 429 === $answer['status'] || $answer['status'] >= 500;
		if ( 'invalid_grant' === $answer['error'] ) {
			$hint = __( 'The authorization was revoked or has expired: connect the account again.', 'smtpx' );
		} elseif ( $transient ) {
			$hint = __( 'The token endpoint is failing: try again later.', 'smtpx' );
		} else {
			$hint = __( 'Check the client id and client secret of the app registration.', 'smtpx' );
		}
		/* translators: 1: the token endpoint's answer, 2: what to do. */
		return new Smtp_Failure( sprintf( __( 'cannot get an OAuth2 access token (%1$s). %2$s', 'smtpx' ), Oauth_Token_Endpoint::describe( $answer ), $hint ), 'auth', '', $transient );
	}

	/**
	 * Waits up to 20 s for the database's named lock $name (MariaDB and MySQL GET_LOCK(),
	 * held by this connection until released or closed).
	 *
	 * @param string $name The lock.
	 */
	private static function lock( string $name ): bool {
		global $wpdb;
		// phpcs:ignore WordPress.DB.DirectDatabaseQuery -- a lock, not data: no cache applies.
		return '1' === (string) $wpdb->get_var( $wpdb->prepare( 'SELECT GET_LOCK(%s, %d)', $name, 20 ) );
	}

	/**
	 * Releases lock().
	 *
	 * @param string $name The lock.
	 */
	private static function unlock( string $name ): void {
		global $wpdb;
		// phpcs:ignore WordPress.DB.DirectDatabaseQuery -- a lock, not data: no cache applies.
		$wpdb->query( $wpdb->prepare( 'SELECT RELEASE_LOCK(%s)', $name ) );
	}

	/**
	 * The transient of a refresh token's access token: a keyed hash, never the token.
	 *
	 * @param string $refresh_token The refresh token.
	 */
	private static function cache_key( string $refresh_token ): string {
		return 'smtpx_oauth_at_' . substr( hash_hmac( 'sha256', $refresh_token, wp_salt( 'auth' ) ), 0, 32 );
	}
}
