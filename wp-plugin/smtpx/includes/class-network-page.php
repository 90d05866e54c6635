<?php
/**
 * Multisite: Network Admin > Settings > smtpx holds the network-wide connection.
 * Every site uses it until the site saves settings of its own on its Settings >
 * smtpx page; "Use the network's settings" there removes the site's own again.
 * "Sites may not override" makes every site use the network's, and hides their form.
 *
 * @package Smtpx
 */

namespace Smtpx\WordPress;

defined( 'ABSPATH' ) || exit;

/**
 * The network settings page and the site's way back to it.
 */
final class Network_Page {

	public const SAVE_ACTION    = 'smtpx_network';
	public const INHERIT_ACTION = 'smtpx_use_network';

	/**
	 * The network_admin_menu action.
	 */
	public static function add_page(): void {
		add_submenu_page( 'settings.php', __( 'smtpx', 'smtpx' ), __( 'smtpx', 'smtpx' ), 'manage_network_options', Settings_Page::SLUG, array( self::class, 'render' ) );
	}

	/**
	 * The network page: the same fields as a site's, read from and saved to the network.
	 */
	public static function render(): void {
		if ( ! current_user_can( 'manage_network_options' ) ) {
			return;
		}
		Settings::use_network_scope( true );
		?>
		<div class="wrap smtpx-settings">
			<h1><?php esc_html_e( 'smtpx for the network', 'smtpx' ); ?></h1>
			<?php if ( isset( $_GET['updated'] ) ) : // Only selects a message: no nonce needed. ?>
				<div class="notice notice-success"><p><?php esc_html_e( 'Network settings saved.', 'smtpx' ); ?></p></div>
			<?php endif; ?>
			<p><?php esc_html_e( 'Every site sends through this connection unless it saves settings of its own under its Settings > smtpx.', 'smtpx' ); ?></p>
			<form action="<?php echo esc_url( network_admin_url( 'edit.php?action=' . self::SAVE_ACTION ) ); ?>" method="post" id="smtpx-network-form">
				<?php
				wp_nonce_field( self::SAVE_ACTION );
				do_settings_sections( Settings_Page::SLUG );
				echo '<h2>' . esc_html__( 'Sites', 'smtpx' ) . '</h2><p><label><input type="checkbox" id="smtpx_lock_sites" name="' . esc_attr( Settings::OPTION . '[lock_sites]' ) . '" value="1"' . checked( Settings::sites_locked(), true, false ) . ' /> ' . esc_html__( 'Sites may not override: every site sends through this connection, and site administrators cannot change it.', 'smtpx' ) . '</label></p>';
				submit_button( __( 'Save network settings', 'smtpx' ) );
				?>
			</form>
		</div>
		<?php
		Settings::use_network_scope( false );
	}

	/**
	 * The network_admin_edit_smtpx_network action: saves the network's settings.
	 */
	public static function save(): void {
		if ( ! current_user_can( 'manage_network_options' ) ) {
			wp_die( esc_html__( 'You are not allowed to change the network\'s mail settings.', 'smtpx' ), 403 );
		}
		check_admin_referer( self::SAVE_ACTION );
		Settings::use_network_scope( true );
		$input = isset( $_POST[ Settings::OPTION ] ) ? wp_unslash( $_POST[ Settings::OPTION ] ) : array(); // Sanitized by sanitize() below.
		update_site_option( Settings::OPTION, Settings_Page::sanitize( $input ) );
		Settings::use_network_scope( false );
		wp_safe_redirect( add_query_arg( array( 'page' => Settings_Page::SLUG, 'updated' => '1' ), network_admin_url( 'settings.php' ) ) );
		exit;
	}

	/**
	 * The admin_post_smtpx_use_network action: the site drops its own settings.
	 */
	public static function use_network(): void {
		if ( ! current_user_can( 'manage_options' ) ) {
			wp_die( esc_html__( 'You are not allowed to change mail settings.', 'smtpx' ), 403 );
		}
		check_admin_referer( self::INHERIT_ACTION );
		delete_option( Settings::OPTION );
		wp_safe_redirect( Settings_Page::url() );
		exit;
	}

	/**
	 * On a site's page: where its settings come from, and the way back to the network's.
	 */
	public static function render_site_scope(): void {
		if ( ! is_multisite() ) {
			return;
		}
		if ( Settings::sites_locked() ) {
			echo '<div class="notice notice-info inline smtpx-sites-locked"><p>' . esc_html__( 'This site sends through the network\'s connection; the network\'s administrator does not let sites change it.', 'smtpx' ) . '</p></div>';
			return;
		}
		if ( Settings::inherits_network() ) {
			echo '<div class="notice notice-info inline"><p>' . esc_html__( 'This site uses the network\'s settings. Saving this page gives the site settings of its own.', 'smtpx' ) . '</p></div>';
			return;
		}
		echo '<div class="notice notice-info inline"><p>' . esc_html__( 'This site has settings of its own, in place of the network\'s.', 'smtpx' ) . '</p>';
		echo '<form action="' . esc_url( admin_url( 'admin-post.php' ) ) . '" method="post"><input type="hidden" name="action" value="' . esc_attr( self::INHERIT_ACTION ) . '" />';
		wp_nonce_field( self::INHERIT_ACTION );
		submit_button( __( 'Use the network\'s settings', 'smtpx' ), 'secondary', 'submit', false );
		echo '</form></div>';
	}
}
