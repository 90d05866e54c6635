<?php
/**
 * The OAuth 2 authorization servers the Connect buttons speak to, as data: where the
 * admin signs in (authorization endpoint), where the plugin redeems the code and the
 * refresh token (token endpoint), where Disconnect revokes the grant (RFC 7009; Microsoft
 * has none), the scopes the SMTP server asks for and the extra parameters that make the
 * provider hand out a refresh token.
 *
 * Hosts and tests point every provider elsewhere with constants (SMTPX_OAUTH_AUTHORIZE_URL,
 * SMTPX_OAUTH_TOKEN_URL, SMTPX_OAUTH_REVOKE_URL, SMTPX_OAUTH_USERINFO_URL, SMTPX_OAUTH_SCOPE,
 * SMTPX_OAUTH_TENANT) or
 * the smtpx_oauth_provider filter; "generic" (an authorization server of the host's
 * own) is offered only when the constants name one.
 *
 * @package Smtpx
 */

namespace Smtpx\WordPress;

defined( 'ABSPATH' ) || exit;

/**
 * The providers table.
 */
final class Oauth_Providers {

	/**
	 * Every provider by id, before overrides.
	 *
	 * Keys: label, authorize_url, token_url, revoke_url ("" when the provider has no
	 * revocation endpoint), userinfo_url (where the account's address is asked for when the
	 * id_token does not carry it; "" for none), scope, params (added to the authorization request).
	 * TENANT in a URL is the Microsoft tenant.
	 *
	 * @return array<string, array<string, mixed>>
	 */
	private static function table(): array {
		return array(
			'google'    => array(
				'label'         => __( 'Google', 'smtpx' ),
				'authorize_url' => 'https://accounts.google.com/o/oauth2/v2/auth',
				'token_url'     => 'https://oauth2.googleapis.com/token',
				'revoke_url'    => 'https://oauth2.googleapis.com/revoke',
				'userinfo_url'  => 'https://openidconnect.googleapis.com/v1/userinfo',
				// openid email: the id_token names the account, shown as connected.
				'scope'         => 'https://mail.google.com/ openid email',
				// Google hands out a refresh token only for offline access, and again only on consent.
				'params'        => array(
					'access_type' => 'offline',
					'prompt'      => 'consent',
				),
			),
			'microsoft' => array(
				'label'         => __( 'Microsoft', 'smtpx' ),
				'authorize_url' => 'https://login.microsoftonline.com/TENANT/oauth2/v2.0/authorize',
				'token_url'     => 'https://login.microsoftonline.com/TENANT/oauth2/v2.0/token',
				'revoke_url'    => '',
				// The id_token names the account; the access token is Outlook's, not Graph's userinfo.
				'userinfo_url'  => '',
				'scope'         => 'https://outlook.office.com/SMTP.Send offline_access openid email',
				'params'        => array( 'prompt' => 'select_account' ),
			),
			'generic'   => array(
				'label'         => __( 'your sign-in provider', 'smtpx' ),
				'authorize_url' => '',
				'token_url'     => '',
				'revoke_url'    => '',
				'userinfo_url'  => '',
				'scope'         => 'openid email offline_access',
				'params'        => array( 'prompt' => 'consent' ),
			),
		);
	}

	/**
	 * The ids whose Connect button is shown: Google and Microsoft, and "generic" when
	 * wp-config.php names an authorization server.
	 *
	 * @return string[]
	 */
	public static function offered(): array {
		$ids = array( 'google', 'microsoft' );
		if ( defined( 'SMTPX_OAUTH_AUTHORIZE_URL' ) && defined( 'SMTPX_OAUTH_TOKEN_URL' ) ) {
			$ids[] = 'generic';
		}
		return $ids;
	}

	/**
	 * One provider with the overrides applied, or null for an unknown id.
	 *
	 * @param string $id     google, microsoft or generic.
	 * @param string $tenant The Microsoft tenant ("" for common).
	 * @return array<string, mixed>|null
	 */
	public static function get( string $id, string $tenant = '' ): ?array {
		$provider = self::table()[ $id ] ?? null;
		if ( null === $provider ) {
			return null;
		}
		$overrides = array(
			'authorize_url' => 'SMTPX_OAUTH_AUTHORIZE_URL',
			'token_url'     => 'SMTPX_OAUTH_TOKEN_URL',
			'revoke_url'    => 'SMTPX_OAUTH_REVOKE_URL',
			'userinfo_url'  => 'SMTPX_OAUTH_USERINFO_URL',
			'scope'         => 'SMTPX_OAUTH_SCOPE',
		);
		$provider['overridden'] = false;
		foreach ( $overrides as $key => $constant ) {
			if ( defined( $constant ) ) {
				$provider[ $key ]       = (string) constant( $constant );
				$provider['overridden'] = $provider['overridden'] || 'token_url' === $key;
			}
		}
		$tenant             = self::tenant( $tenant );
		$provider['tenant'] = 'microsoft' === $id ? $tenant : '';
		foreach ( array( 'authorize_url', 'token_url', 'revoke_url' ) as $key ) {
			$provider[ $key ] = str_replace( 'TENANT', rawurlencode( $tenant ), $provider[ $key ] );
		}
		$provider['id'] = $id;
		/**
		 * Filters an OAuth provider: its authorization, token and revocation URLs, scope
		 * and extra authorization parameters. Set "overridden" to true when the token URL
		 * is not the provider's own, so the extension is told it.
		 *
		 * @param array  $provider label, authorize_url, token_url, revoke_url, userinfo_url, scope, params,
		 *                         tenant, overridden.
		 * @param string $id       google, microsoft or generic.
		 */
		return apply_filters( 'smtpx_oauth_provider', $provider, $id );
	}

	/**
	 * The Microsoft tenant: SMTPX_OAUTH_TENANT, the one typed, or "common".
	 *
	 * @param string $typed As saved on the settings page.
	 */
	public static function tenant( string $typed ): string {
		if ( defined( 'SMTPX_OAUTH_TENANT' ) ) {
			return (string) SMTPX_OAUTH_TENANT;
		}
		return '' === $typed ? 'common' : $typed;
	}

	/**
	 * Where the provider sends the admin back: the settings page, which finishes the
	 * flow before any output. To be copied into the app registration as it is.
	 */
	public static function redirect_uri(): string {
		return Settings_Page::url( array( 'smtpx_oauth' => 'callback' ) );
	}
}
