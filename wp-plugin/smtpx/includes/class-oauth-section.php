<?php
/**
 * The "Connect an account (OAuth 2)" part of Settings > smtpx: the connected account or
 * why it must be connected again, the app's client id, secret and tenant (locked when
 * wp-config.php sets them), the redirect URI to copy into the app registration, the
 * Connect with Google / Microsoft buttons, Disconnect, and how to create the app.
 *
 * @package Smtpx
 */

namespace Smtpx\WordPress;

defined( 'ABSPATH' ) || exit;

/**
 * Renders the section.
 */
final class Oauth_Section {

	/**
	 * The section, under the settings form.
	 */
	public static function render(): void {
		echo '<h2 id="smtpx-oauth">' . esc_html__( 'Connect an account (OAuth 2)', 'smtpx' ) . '</h2>';
		echo '<p>' . esc_html__( 'Google Workspace and Microsoft 365 want OAuth 2 instead of passwords. Choose the provider above with Authentication "OAuth 2" and save, then connect the mailbox here: smtpx keeps the refresh token (encrypted) and gets access tokens by itself.', 'smtpx' ) . '</p>';
		self::render_outcome();
		self::render_status();
		self::render_connect_form();
		if ( Oauth_Grant::connected() ) {
			echo '<form method="post" action="' . esc_url( admin_url( 'admin-post.php' ) ) . '" id="smtpx-oauth-disconnect">';
			echo '<input type="hidden" name="action" value="' . esc_attr( Oauth_Connect::DISCONNECT_ACTION ) . '" />';
			wp_nonce_field( Oauth_Connect::DISCONNECT_ACTION );
			submit_button( __( 'Disconnect', 'smtpx' ), 'secondary', 'submit', false );
			echo ' <span class="description">' . esc_html__( 'Forgets the tokens here and, where the provider allows it (Google), revokes the access.', 'smtpx' ) . '</span></form>';
		}
		self::render_instructions();
	}

	/**
	 * The outcome of the last Connect or Disconnect.
	 */
	private static function render_outcome(): void {
		$outcome = Oauth_Connect::take_outcome();
		if ( null !== $outcome ) {
			printf( '<div class="notice notice-%1$s inline smtpx-oauth-outcome"><p>%2$s</p></div>', esc_attr( $outcome['ok'] ? 'success' : 'error' ), esc_html( $outcome['message'] ) );
		}
	}

	/**
	 * Which account is connected, or why it must be connected again.
	 */
	private static function render_status(): void {
		$grant = Oauth_Grant::stored()['grant'];
		if ( ! Oauth_Grant::connected() ) {
			echo '<p class="smtpx-oauth-status">' . esc_html__( 'No account is connected.', 'smtpx' ) . '</p>';
			return;
		}
		if ( Oauth_Grant::needs_reconnect() ) {
			/* translators: %s: why the account must be connected again. */
			echo '<p class="smtpx-oauth-status smtpx-warning">' . esc_html( sprintf( __( 'Connect again: %s. Mail waits in the outbox.', 'smtpx' ), Oauth_Grant::reconnect_reason() ) ) . '</p>';
			return;
		}
		if ( ! Oauth_Grant::connection_uses_oauth() ) {
			echo '<p class="smtpx-oauth-status smtpx-warning">' . esc_html__( 'An account is connected, but the connection above does not use it: choose Authentication "OAuth 2" and save.', 'smtpx' ) . '</p>';
			return;
		}
		$provider = Oauth_Providers::get( $grant['provider'] );
		printf(
			'<p class="smtpx-oauth-status">%s</p>',
			esc_html(
				sprintf(
					/* translators: 1: the account's address, 2: Google or Microsoft, 3: date. */
					__( 'Connected as %1$s through %2$s since %3$s.', 'smtpx' ),
					'' === $grant['account'] ? __( '(an account that did not give its address)', 'smtpx' ) : $grant['account'],
					$provider ? $provider['label'] : $grant['provider'],
					wp_date( (string) get_option( 'date_format' ), (int) $grant['connected_at'] )
				)
			)
		);
	}

	/**
	 * The app's fields, the redirect URI and the Connect buttons.
	 */
	private static function render_connect_form(): void {
		$stored = Oauth_Grant::stored();
		echo '<form method="post" action="' . esc_url( admin_url( 'admin-post.php' ) ) . '" id="smtpx-oauth-connect">';
		echo '<input type="hidden" name="action" value="' . esc_attr( Oauth_Connect::CONNECT_ACTION ) . '" />';
		wp_nonce_field( Oauth_Connect::CONNECT_ACTION );
		echo '<table class="form-table" role="presentation"><tbody>';

		$host_id = defined( 'SMTPX_OAUTH_CLIENT_ID' );
		echo '<tr><th scope="row"><label for="smtpx_oauth_client_id">' . esc_html__( 'Client ID', 'smtpx' ) . '</label></th><td>';
		echo '<input type="text" class="regular-text" id="smtpx_oauth_client_id" name="smtpx_oauth_client_id" value="' . esc_attr( $host_id ? '' : $stored['client_id'] ) . '"' . disabled( $host_id, true, false ) . ( $host_id ? ' placeholder="' . esc_attr__( 'Set by the host', 'smtpx' ) . '"' : '' ) . ' />';
		if ( $host_id ) {
			echo '<p class="description smtpx-locked">' . esc_html__( 'Set by the host (SMTPX_OAUTH_CLIENT_ID in wp-config.php).', 'smtpx' ) . '</p>';
		}
		echo '</td></tr>';

		$host_secret = defined( 'SMTPX_OAUTH_CLIENT_SECRET' );
		$placeholder = '' === $stored['client_secret'] ? '' : __( 'Saved; leave empty to keep it', 'smtpx' );
		echo '<tr><th scope="row"><label for="smtpx_oauth_client_secret">' . esc_html__( 'Client secret', 'smtpx' ) . '</label></th><td>';
		echo '<input type="password" class="regular-text" autocomplete="new-password" id="smtpx_oauth_client_secret" name="smtpx_oauth_client_secret" value="" placeholder="' . esc_attr( $host_secret ? __( 'Set by the host', 'smtpx' ) : $placeholder ) . '"' . disabled( $host_secret, true, false ) . ' />';
		echo '<p class="description' . ( $host_secret ? ' smtpx-locked' : '' ) . '">' . esc_html( $host_secret ? __( 'Set by the host (SMTPX_OAUTH_CLIENT_SECRET in wp-config.php).', 'smtpx' ) : __( 'Stored encrypted; never shown again.', 'smtpx' ) ) . '</p>';
		echo '</td></tr>';

		echo '<tr><th scope="row"><label for="smtpx_oauth_tenant">' . esc_html__( 'Tenant (Microsoft)', 'smtpx' ) . '</label></th><td>';
		echo '<input type="text" class="regular-text" id="smtpx_oauth_tenant" name="smtpx_oauth_tenant" value="' . esc_attr( $stored['tenant'] ) . '" placeholder="common"' . disabled( defined( 'SMTPX_OAUTH_TENANT' ), true, false ) . ' />';
		echo '<p class="description">' . esc_html__( 'The directory (tenant) ID or domain of a single-tenant app; leave empty for a multitenant one.', 'smtpx' ) . '</p>';
		echo '</td></tr>';

		echo '<tr><th scope="row"><label for="smtpx_oauth_redirect_uri">' . esc_html__( 'Redirect URI', 'smtpx' ) . '</label></th><td>';
		echo '<input type="text" class="large-text code" readonly="readonly" id="smtpx_oauth_redirect_uri" value="' . esc_attr( Oauth_Providers::redirect_uri() ) . '" onfocus="this.select()" />';
		echo '<p class="description">' . esc_html__( 'Copy it, exactly, into the app registration (Google: Authorized redirect URIs of a "Web application" client; Microsoft: a "Web" platform redirect URI).', 'smtpx' ) . '</p>';
		echo '</td></tr></tbody></table><p>';
		foreach ( Oauth_Providers::offered() as $id ) {
			$provider = Oauth_Providers::get( $id );
			/* translators: %s: Google, Microsoft or "your sign-in provider". */
			echo '<button type="submit" class="button button-primary smtpx-oauth-' . esc_attr( $id ) . '" name="smtpx_oauth_provider" value="' . esc_attr( $id ) . '">' . esc_html( sprintf( __( 'Connect with %s', 'smtpx' ), $provider['label'] ) ) . '</button> ';
		}
		echo '</p></form>';
	}

	/**
	 * How to create the app at each provider.
	 */
	private static function render_instructions(): void {
		$steps = array(
			__( 'Google Workspace / Gmail', 'smtpx' ) => array(
				__( 'In Google Cloud console, create a project, enable the Gmail API, and configure the OAuth consent screen with the scope https://mail.google.com/.', 'smtpx' ),
				__( 'Publish the app ("In production"): while it is "Testing", Google lets its refresh tokens lapse after 7 days and mail stops. A Workspace-only (Internal) app needs no review.', 'smtpx' ),
				__( 'Under Credentials, create an OAuth client ID of type "Web application" with the redirect URI above; enter its client ID and secret here and press Connect with Google.', 'smtpx' ),
			),
			__( 'Microsoft 365', 'smtpx' )            => array(
				__( 'In the Microsoft Entra admin center, register an app (App registrations > New registration) with a "Web" redirect URI: the one above.', 'smtpx' ),
				__( 'Under API permissions add the delegated permission SMTP.Send (Office 365 Exchange Online, or Microsoft Graph > SMTP.Send), plus offline_access, and grant admin consent.', 'smtpx' ),
				__( 'Under Certificates & secrets create a client secret; enter it and the Application (client) ID here, with the tenant ID for a single-tenant app.', 'smtpx' ),
				__( 'SMTP AUTH must be enabled for the mailbox (Microsoft 365 admin center > the user > Mail > Manage email apps > Authenticated SMTP), then press Connect with Microsoft.', 'smtpx' ),
			),
		);
		echo '<details class="smtpx-oauth-help"><summary>' . esc_html__( 'How to create the app', 'smtpx' ) . '</summary>';
		foreach ( $steps as $title => $items ) {
			echo '<h3>' . esc_html( $title ) . '</h3><ol>';
			foreach ( $items as $item ) {
				echo '<li>' . esc_html( $item ) . '</li>';
			}
			echo '</ol>';
		}
		echo '</details>';
	}
}
