<?php
/**
 * Settings > smtpx > DKIM signing: generate a key (RSA 2048 or Ed25519), see the TXT
 * record to publish, verify that DNS serves it, remove it. The private key is made on
 * this server, stored sealed (Dkim_Settings) and never shown; a key set in wp-config.php
 * is only shown, with its record. Every action checks the capability and a nonce.
 *
 * @package Smtpx
 */

namespace Smtpx\WordPress;

defined( 'ABSPATH' ) || exit;

/**
 * The DKIM section and its admin-post actions.
 */
final class Dkim_Section {

	public const GENERATE = 'smtpx_dkim_generate';
	public const VERIFY   = 'smtpx_dkim_verify';
	public const REMOVE   = 'smtpx_dkim_remove';

	/**
	 * The admin_post_smtpx_dkim_generate action.
	 */
	public static function handle_generate(): void {
		self::check( self::GENERATE );
		$domain    = self::posted( 'smtpx_dkim_domain' );
		$selector  = self::posted( 'smtpx_dkim_selector' );
		$algorithm = Dkim_Key::ED25519 === self::posted( 'smtpx_dkim_algorithm' ) ? Dkim_Key::ED25519 : Dkim_Key::RSA;
		$refusal   = self::generate_refusal( $domain, $selector, $algorithm );
		$pem       = '' === $refusal ? Dkim_Key::generate( $algorithm ) : null;
		if ( null === $pem ) {
			self::finish( '' === $refusal ? __( 'OpenSSL could not make the key: try again, or set one in wp-config.php (SMTPX_DKIM_PRIVATE_KEY).', 'smtpx' ) : $refusal, false );
		}
		Dkim_Settings::store( $domain, $selector, $pem );
		Domain_Check::forget();
		delete_transient( self::verify_transient() );
		self::finish( __( 'A new DKIM key was made and mail is signed with it from now on. Publish the TXT record below in your domain\'s DNS, then press Verify.', 'smtpx' ), true );
	}

	/**
	 * Why no key can be made from the form, or "".
	 *
	 * @param string $domain    The signing domain.
	 * @param string $selector  The selector.
	 * @param string $algorithm Dkim_Key::RSA or ED25519.
	 */
	private static function generate_refusal( string $domain, string $selector, string $algorithm ): string {
		if ( Dkim_Settings::from_constants() ) {
			return __( 'wp-config.php sets the DKIM key (SMTPX_DKIM_PRIVATE_KEY): change it there.', 'smtpx' );
		}
		if ( ! Dkim_Settings::is_domain( $domain ) ) {
			return __( 'The signing domain must be a domain name such as example.com (punycode for IDNs): no key was made.', 'smtpx' );
		}
		if ( ! Dkim_Settings::is_selector( $selector ) ) {
			return __( 'The selector must be letters, digits and hyphens, such as smtpx2026: no key was made.', 'smtpx' );
		}
		if ( ! Dkim_Key::can_generate( $algorithm ) ) {
			return __( 'This server\'s PHP cannot make this kind of key (its openssl or sodium extension is missing).', 'smtpx' );
		}
		return '';
	}

	/**
	 * A field of the form, lower case, trimmed.
	 *
	 * @param string $name The field's name.
	 */
	private static function posted( string $name ): string {
		return strtolower( trim( sanitize_text_field( wp_unslash( (string) ( $_POST[ $name ] ?? '' ) ) ) ) );
	}

	/**
	 * The admin_post_smtpx_dkim_verify action: asks the DNS now.
	 */
	public static function handle_verify(): void {
		self::check( self::VERIFY );
		$findings = array_values(
			array_filter(
				Domain_Check::report( true )['findings'],
				static function ( $finding ) {
					return 'dkim' === $finding['check'];
				}
			)
		);
		set_transient( self::verify_transient(), $findings, 10 * MINUTE_IN_SECONDS );
		self::finish( '', true );
	}

	/**
	 * The admin_post_smtpx_dkim_remove action.
	 */
	public static function handle_remove(): void {
		self::check( self::REMOVE );
		if ( ! Dkim_Settings::from_constants() ) {
			Dkim_Settings::forget();
			Domain_Check::forget();
			delete_transient( self::verify_transient() );
		}
		self::finish( __( 'The DKIM key was removed: mail is no longer signed by smtpx. Remove its TXT record from DNS once no mail signed with it is on its way.', 'smtpx' ), true );
	}

	/**
	 * The section.
	 */
	public static function render(): void {
		echo '<h2 id="smtpx-dkim">' . esc_html__( 'DKIM signing', 'smtpx' ) . '</h2>';
		echo '<p>' . esc_html__( 'DKIM signs every message with a key of this site, so receivers can check it comes from your domain and was not changed on the way; with DMARC, it is what Gmail, Yahoo and Microsoft look for. Skip it if your provider already signs for your domain (its domain authentication).', 'smtpx' ) . '</p>';
		$notice = get_transient( self::notice_transient() );
		if ( is_array( $notice ) ) {
			delete_transient( self::notice_transient() );
			echo '<div class="notice inline ' . ( $notice['ok'] ? 'notice-success' : 'notice-error' ) . ' smtpx-dkim-notice"><p>' . esc_html( $notice['text'] ) . '</p></div>';
		}
		$configured = Dkim_Settings::configured();
		$key        = Dkim_Settings::key();
		foreach ( array( Dkim_Settings::problem(), Dkim_Signing::unsigned_reason() ) as $warning ) {
			if ( '' !== $warning ) {
				echo '<div class="notice notice-warning inline smtpx-dkim-warning"><p>' . esc_html( $warning ) . '</p></div>';
			}
		}
		if ( null !== $key ) {
			self::render_key( $key );
		} elseif ( null !== $configured && ! Dkim_Settings::from_constants() ) {
			self::render_remove_form();
		}
		if ( Dkim_Settings::from_constants() ) {
			echo '<p class="description smtpx-locked">' . esc_html__( 'Locked: wp-config.php sets the key (SMTPX_DKIM_PRIVATE_KEY, SMTPX_DKIM_SELECTOR, SMTPX_DKIM_DOMAIN).', 'smtpx' ) . '</p>';
			return;
		}
		self::render_generate_form( null !== $configured );
	}

	/**
	 * The key's record, Verify and its last answer, Remove.
	 *
	 * @param array<string, mixed> $key Dkim_Settings::key().
	 */
	private static function render_key( array $key ): void {
		$name  = Dkim_Key::record_name( $key['selector'], $key['domain'] );
		$value = Dkim_Key::record_value( $key['algorithm'], $key['public_key'] );
		/* translators: 1: domain, 2: selector, 3: algorithm such as rsa-sha256 (DKIM's own tags d= and s=). */
		$signing = sprintf( __( 'd=%1$s, s=%2$s, %3$s', 'smtpx' ), $key['domain'], $key['selector'], $key['algorithm'] );
		echo '<table class="form-table smtpx-dkim-key" role="presentation"><tbody>';
		echo '<tr><th scope="row">' . esc_html__( 'Signing', 'smtpx' ) . '</th><td>' . esc_html( $signing ) . '</td></tr>';
		echo '<tr><th scope="row">' . esc_html__( 'TXT record name', 'smtpx' ) . '</th><td>' . Record_Copy::html( $name, 'smtpx-dkim-name' ) . '</td></tr>'; // Record_Copy::html() escapes.
		echo '<tr><th scope="row">' . esc_html__( 'TXT record value', 'smtpx' ) . '</th><td>' . Record_Copy::html( $value, 'smtpx-dkim-value' );
		if ( strlen( $value ) > 255 ) {
			echo '<p class="description">' . esc_html__( 'Longer than one DNS string (255 bytes). Most DNS panels split it themselves; zone files and some panels want it as these quoted strings:', 'smtpx' ) . '</p>' . Record_Copy::html( Dkim_Key::quoted_strings( $value ), 'smtpx-dkim-strings' );
		}
		echo '</td></tr></tbody></table>';

		echo '<form action="' . esc_url( admin_url( 'admin-post.php' ) ) . '" method="post" class="smtpx-dkim-verify-form"><input type="hidden" name="action" value="' . esc_attr( self::VERIFY ) . '" />';
		wp_nonce_field( self::VERIFY );
		submit_button( __( 'Verify', 'smtpx' ), 'secondary', 'submit', false );
		echo ' <span class="description">' . esc_html__( 'Asks the DNS whether the record is published with this key.', 'smtpx' ) . '</span></form>';
		$findings = get_transient( self::verify_transient() );
		if ( is_array( $findings ) ) {
			Deliverability_Panel::render_findings( $findings, 'smtpx-dkim-verified' );
		}
		self::render_remove_form();
	}

	/**
	 * The Remove button of a generated key.
	 */
	private static function render_remove_form(): void {
		if ( Dkim_Settings::from_constants() ) {
			return;
		}
		echo '<form action="' . esc_url( admin_url( 'admin-post.php' ) ) . '" method="post" class="smtpx-dkim-remove-form"><input type="hidden" name="action" value="' . esc_attr( self::REMOVE ) . '" />';
		wp_nonce_field( self::REMOVE );
		submit_button( __( 'Remove key', 'smtpx' ), 'delete', 'submit', false );
		echo '</form>';
	}

	/**
	 * The form that makes a key.
	 *
	 * @param bool $replaces Whether a key exists and would be replaced.
	 */
	private static function render_generate_form( bool $replaces ): void {
		$stored   = Dkim_Settings::configured();
		$domain   = $stored['domain'] ?? Domain_Check::from_domain();
		$selector = 'smtpx' . gmdate( 'Ym' ); // A new selector per key, so the old record can stay while mail signed with it is delivered.
		if ( $replaces ) {
			echo '<details class="smtpx-dkim-replace"><summary>' . esc_html__( 'Make a new key (rotation)', 'smtpx' ) . '</summary>';
		}
		echo '<form action="' . esc_url( admin_url( 'admin-post.php' ) ) . '" method="post" id="smtpx-dkim-generate-form"><input type="hidden" name="action" value="' . esc_attr( self::GENERATE ) . '" />';
		wp_nonce_field( self::GENERATE );
		echo '<table class="form-table" role="presentation"><tbody>';
		echo '<tr><th scope="row"><label for="smtpx_dkim_algorithm">' . esc_html__( 'Key type', 'smtpx' ) . '</label></th><td><select id="smtpx_dkim_algorithm" name="smtpx_dkim_algorithm">';
		echo '<option value="' . esc_attr( Dkim_Key::RSA ) . '">' . esc_html__( 'RSA 2048 (every receiver verifies it)', 'smtpx' ) . '</option>';
		if ( Dkim_Key::can_generate( Dkim_Key::ED25519 ) ) {
			echo '<option value="' . esc_attr( Dkim_Key::ED25519 ) . '">' . esc_html__( 'Ed25519 (RFC 8463: short, but not every receiver verifies it yet)', 'smtpx' ) . '</option>';
		}
		echo '</select>';
		if ( ! Settings::extension_loaded() ) {
			echo '<p class="description smtpx-dkim-rsa-only">' . esc_html__( 'Without the smtpx extension, PHPMailer signs the mail, and it supports RSA only: an Ed25519 key would sign nothing.', 'smtpx' ) . '</p>';
		}
		echo '</td></tr>';
		echo '<tr><th scope="row"><label for="smtpx_dkim_domain">' . esc_html__( 'Signing domain', 'smtpx' ) . '</label></th><td><input type="text" class="regular-text" id="smtpx_dkim_domain" name="smtpx_dkim_domain" value="' . esc_attr( $domain ) . '" /><p class="description">' . esc_html__( 'The domain of your From address, for DMARC alignment.', 'smtpx' ) . '</p></td></tr>';
		echo '<tr><th scope="row"><label for="smtpx_dkim_selector">' . esc_html__( 'Selector', 'smtpx' ) . '</label></th><td><input type="text" class="regular-text" id="smtpx_dkim_selector" name="smtpx_dkim_selector" value="' . esc_attr( $selector ) . '" /><p class="description">' . esc_html__( 'Names the key in DNS; a new key should get a new selector.', 'smtpx' ) . '</p></td></tr>';
		echo '</tbody></table>';
		submit_button( $replaces ? __( 'Replace the key', 'smtpx' ) : __( 'Generate key', 'smtpx' ), 'secondary', 'submit', false );
		echo '</form>';
		if ( $replaces ) {
			echo '</details>';
		}
	}

	/**
	 * Capability and nonce of an action.
	 *
	 * @param string $action The action.
	 */
	private static function check( string $action ): void {
		if ( ! current_user_can( 'manage_options' ) ) {
			wp_die( esc_html__( 'You are not allowed to change DKIM signing.', 'smtpx' ), 403 );
		}
		check_admin_referer( $action );
	}

	/**
	 * Back to the section, with a notice for this user.
	 *
	 * @param string $text The notice, "" for none.
	 * @param bool   $ok   Whether it reports success.
	 */
	private static function finish( string $text, bool $ok ): never {
		if ( '' !== $text ) {
			set_transient(
				self::notice_transient(),
				array(
					'text' => $text,
					'ok'   => $ok,
				),
				MINUTE_IN_SECONDS
			);
		}
		wp_safe_redirect( Settings_Page::url() . '#smtpx-dkim' );
		exit;
	}

	/**
	 * This user's notice.
	 */
	private static function notice_transient(): string {
		return 'smtpx_dkim_notice_' . get_current_user_id();
	}

	/**
	 * This user's last Verify.
	 */
	private static function verify_transient(): string {
		return 'smtpx_dkim_verify_' . get_current_user_id();
	}
}
