<?php
/**
 * Every hook the plugin uses, registered in this one place.
 *
 * @package Smtpx
 */

namespace Smtpx\WordPress;

defined( 'ABSPATH' ) || exit;

/**
 * The bootstrap.
 */
final class Plugin {

	/**
	 * Registers the hooks.
	 */
	public static function boot(): void {
		// The outbox: its table, and the event that drains it every minute.
		register_activation_hook( PLUGIN_FILE, array( self::class, 'activate' ) );
		register_deactivation_hook( PLUGIN_FILE, array( self::class, 'deactivate' ) );
		add_action( 'init', array( self::class, 'upgrade' ) );
		add_filter( 'cron_schedules', array( Background_Sending::class, 'add_schedule' ) );
		add_action( Background_Sending::CRON_HOOK, array( Queue_Runner::class, 'run' ) );
		add_action( Background_Sending::CRON_HOOK, array( Alerts::class, 'check_queue' ), 20 );
		add_action( 'wp_mail_failed', array( Alerts::class, 'after_failure' ), PHP_INT_MAX );
		add_action( Outbox_Log::PRUNE_HOOK, array( Outbox_Log::class, 'prune' ) );
		add_action( 'admin_menu', array( Log_Page::class, 'add_page' ) );
		add_filter( 'wp_privacy_personal_data_exporters', array( Log_Privacy::class, 'register_exporter' ) );
		add_filter( 'wp_privacy_personal_data_erasers', array( Log_Privacy::class, 'register_eraser' ) );

		// Mail: the last pre_wp_mail filter installs the Mailer just before wp_mail() uses the global.
		add_filter( 'pre_wp_mail', array( Mailer_Installer::class, 'before_wp_mail' ), PHP_INT_MAX, 2 );
		add_action( 'wp_mail_failed', array( Mailer_Installer::class, 'add_failure_details' ), PHP_INT_MIN );
		add_filter( 'wp_mail_from', array( From_Address::class, 'from_email' ), PHP_INT_MAX );
		add_filter( 'wp_mail_from_name', array( From_Address::class, 'from_name' ), PHP_INT_MAX );
		// DKIM: PHPMailer's properties first of all phpmailer_init callbacks, so a later one may still change them.
		add_action( 'phpmailer_init', array( Dkim_Signing::class, 'prepare_phpmailer' ), PHP_INT_MIN );
		// Early, so a site's own smtpx_transport filter sees the oauth settings.
		add_filter( 'smtpx_transport', array( Oauth_Grant::class, 'apply_to_transport' ), 5, 2 );

		// Admin.
		add_action( 'init', array( self::class, 'load_textdomain' ) );
		add_action( 'admin_menu', array( Settings_Page::class, 'add_page' ) );
		add_action( 'admin_init', array( Settings_Page::class, 'register' ) );
		add_action( 'admin_enqueue_scripts', array( Settings_Page::class, 'enqueue' ) );
		add_action( 'admin_post_' . Test_Email::ACTION, array( Test_Email::class, 'handle' ) );
		add_action( 'admin_post_' . Ports_Panel::ACTION, array( Ports_Panel::class, 'handle' ) );
		add_action( 'admin_post_' . Dkim_Section::GENERATE, array( Dkim_Section::class, 'handle_generate' ) );
		add_action( 'admin_post_' . Dkim_Section::VERIFY, array( Dkim_Section::class, 'handle_verify' ) );
		add_action( 'admin_post_' . Dkim_Section::REMOVE, array( Dkim_Section::class, 'handle_remove' ) );
		add_action( 'admin_post_' . Deliverability_Panel::ACTION, array( Deliverability_Panel::class, 'handle' ) );
		add_action( 'admin_post_' . Oauth_Connect::CONNECT_ACTION, array( Oauth_Connect::class, 'handle_connect' ) );
		add_action( 'admin_post_' . Oauth_Connect::DISCONNECT_ACTION, array( Oauth_Connect::class, 'handle_disconnect' ) );
		add_action( 'admin_init', array( Oauth_Connect::class, 'maybe_handle_callback' ) );
		add_action( 'admin_post_' . Network_Page::INHERIT_ACTION, array( Network_Page::class, 'use_network' ) );
		add_action( 'network_admin_menu', array( Network_Page::class, 'add_page' ) );
		add_action( 'network_admin_edit_' . Network_Page::SAVE_ACTION, array( Network_Page::class, 'save' ) );
		add_action( 'admin_notices', array( Notices::class, 'render' ) );
		add_action( 'admin_bar_menu', array( Notices::class, 'admin_bar' ), 100 );
		add_filter( 'site_status_tests', array( Site_Health::class, 'register' ) );
		add_action( 'rest_api_init', array( Site_Health::class, 'register_rest_route' ) );
		add_filter( 'plugin_action_links_' . plugin_basename( PLUGIN_FILE ), array( self::class, 'action_links' ) );
	}

	/**
	 * The activation hook.
	 */
	public static function activate(): void {
		Outbox_Schema::install();
		Background_Sending::schedule();
		Outbox_Log::schedule_prune();
	}

	/**
	 * The deactivation hook: the events go; the outbox stays for the next activation.
	 */
	public static function deactivate(): void {
		Background_Sending::unschedule();
		wp_clear_scheduled_hook( Outbox_Log::PRUNE_HOOK );
	}

	/**
	 * The init action: a plugin updated in place is not activated again, and on
	 * multisite every site needs its own table and event.
	 */
	public static function upgrade(): void {
		Outbox_Schema::upgrade();
		Background_Sending::schedule();
		Outbox_Log::schedule_prune();
	}

	/**
	 * The init action.
	 */
	public static function load_textdomain(): void {
		load_plugin_textdomain( 'smtpx', false, dirname( plugin_basename( PLUGIN_FILE ) ) . '/languages' );
	}

	/**
	 * A "Settings" link on the Plugins screen.
	 *
	 * @param string[] $links The plugin's links.
	 * @return string[]
	 */
	public static function action_links( $links ) {
		array_unshift( $links, sprintf( '<a href="%s">%s</a>', esc_url( Settings_Page::url() ), esc_html__( 'Settings', 'smtpx' ) ) );
		return $links;
	}
}
