<?php
/**
 * Settings > smtpx: the connection, its fallback and the From address, through the
 * Settings API; the test email and the Ports panel under it. Fields set by a
 * constant or by the extension's INI settings are shown locked; secrets are never
 * sent back to the browser, only a placeholder saying one is saved.
 *
 * @package Smtpx
 */

namespace Smtpx\WordPress;

defined( 'ABSPATH' ) || exit;

/**
 * The settings page.
 */
final class Settings_Page {

	public const SLUG  = 'smtpx';
	public const GROUP = 'smtpx';

	/**
	 * The admin_menu action.
	 */
	public static function add_page(): void {
		add_options_page( __( 'smtpx', 'smtpx' ), __( 'smtpx', 'smtpx' ), 'manage_options', self::SLUG, array( self::class, 'render' ) );
	}

	/**
	 * The admin_enqueue_scripts action: the field switcher, on this page only.
	 *
	 * @param string $hook_suffix The admin page being loaded.
	 */
	public static function enqueue( $hook_suffix ): void {
		if ( 'settings_page_' . self::SLUG !== $hook_suffix && 'settings_page_' . self::SLUG . '-network' !== $hook_suffix ) {
			return;
		}
		wp_enqueue_script( 'smtpx-settings', plugins_url( 'assets/settings.js', PLUGIN_FILE ), array(), VERSION, true );
		$presets = array();
		foreach ( Presets::all() as $id => $preset ) {
			$presets[ $id ] = array(
				'host'        => $preset['host'],
				'region'      => ! empty( $preset['region'] ),
				'user'        => $preset['user'] ?? '',
				'user_hint'   => $preset['user_hint'],
				'secret_hint' => $preset['secret_hint'] . ' ' . __( 'Stored encrypted; never shown again.', 'smtpx' ),
				'ports_hint'  => self::ports_hint( $preset['ports'] ),
				'api'             => isset( $preset['api'] ),
				'api_key'         => isset( $preset['api_key_hint'] ),
				'api_user'        => '' !== ( $preset['api_user_hint'] ?? '' ),
				'api_user_hint'   => $preset['api_user_hint'] ?? '',
				'api_secret_hint' => ( $preset['api_secret_hint'] ?? '' ) . ' ' . __( 'Stored encrypted; never shown again.', 'smtpx' ),
				'transport_hint'  => self::transport_hint( $preset ),
				'api_key_hint'    => self::api_key_hint( $preset ),
			);
		}
		wp_add_inline_script( 'smtpx-settings', 'window.smtpxPresets = ' . wp_json_encode( $presets ) . ';', 'before' );
	}

	/**
	 * The page's address.
	 *
	 * @param array<string, string> $args Query arguments to add.
	 */
	public static function url( array $args = array() ): string {
		return add_query_arg( array_merge( array( 'page' => self::SLUG ), $args ), admin_url( 'options-general.php' ) );
	}

	/**
	 * The admin_init action: the setting, its sections and fields.
	 */
	public static function register(): void {
		register_setting(
			self::GROUP,
			Settings::OPTION,
			array(
				'type'              => 'array',
				'sanitize_callback' => array( self::class, 'sanitize' ),
				'show_in_rest'      => false,
			)
		);

		// A site of a network that does not let sites override keeps no settings of its own.
		add_filter( 'pre_update_option_' . Settings::OPTION, array( self::class, 'refuse_when_sites_locked' ), 10, 2 );

		add_settings_section( 'smtpx_primary', __( 'Connection', 'smtpx' ), array( self::class, 'render_connection_intro' ), self::SLUG );
		self::add_connection_fields( 'primary', 'smtpx_primary' );

		add_settings_section( 'smtpx_from', __( 'From address', 'smtpx' ), '__return_false', self::SLUG );
		add_settings_field( 'smtpx_from_email', __( 'From address', 'smtpx' ), array( self::class, 'render_global_field' ), self::SLUG, 'smtpx_from', array( 'field' => 'from_email', 'label_for' => 'smtpx_from_email' ) );
		add_settings_field( 'smtpx_from_name', __( 'From name', 'smtpx' ), array( self::class, 'render_global_field' ), self::SLUG, 'smtpx_from', array( 'field' => 'from_name', 'label_for' => 'smtpx_from_name' ) );
		add_settings_field( 'smtpx_force_from', __( 'Force From', 'smtpx' ), array( self::class, 'render_global_field' ), self::SLUG, 'smtpx_from', array( 'field' => 'force_from', 'label_for' => 'smtpx_force_from' ) );

		add_settings_section( 'smtpx_sending', __( 'Sending', 'smtpx' ), array( self::class, 'render_sending_intro' ), self::SLUG );
		add_settings_field( 'smtpx_queue', __( 'Background sending', 'smtpx' ), array( self::class, 'render_global_field' ), self::SLUG, 'smtpx_sending', array( 'field' => 'queue', 'label_for' => 'smtpx_queue' ) );

		add_settings_section( 'smtpx_alerts', __( 'Alerts', 'smtpx' ), array( self::class, 'render_alerts_intro' ), self::SLUG );
		add_settings_field( 'smtpx_alert_email', __( 'Alert email', 'smtpx' ), array( self::class, 'render_global_field' ), self::SLUG, 'smtpx_alerts', array( 'field' => 'alert_email', 'label_for' => 'smtpx_alert_email' ) );
		add_settings_field( 'smtpx_alert_webhook', __( 'Alert webhook', 'smtpx' ), array( self::class, 'render_global_field' ), self::SLUG, 'smtpx_alerts', array( 'field' => 'alert_webhook', 'label_for' => 'smtpx_alert_webhook' ) );

		add_settings_section( 'smtpx_fallback', __( 'Fallback connection', 'smtpx' ), array( self::class, 'render_fallback_intro' ), self::SLUG );
		self::add_connection_fields( 'fallback', 'smtpx_fallback' );
	}

	/**
	 * Sanitizes the submitted form into the stored option. Secrets are sealed; an
	 * empty secret field keeps the saved one (the site's own, never the network's). Runs twice when the option is first
	 * created (update_option() then add_option()), so a value it sealed itself is
	 * kept as it is.
	 *
	 * @param mixed $input The submitted smtpx_settings.
	 * @return array<string, mixed>
	 */
	public static function sanitize( $input ): array {
		$stored = Settings::stored();
		if ( Settings::inherits_network() ) {
			// A site saving settings of its own never inherits the network's secrets: with
			// them, its admin could point the connection at a host of their choosing.
			foreach ( Settings::CONNECTIONS as $connection ) {
				foreach ( Settings::SECRET_FIELDS as $secret_field ) {
					$stored[ $connection ][ $secret_field ] = '';
				}
			}
		}
		$clean = $stored;
		$input = is_array( $input ) ? $input : array();

		foreach ( Settings::CONNECTIONS as $connection ) {
			$fields = is_array( $input[ $connection ] ?? null ) ? $input[ $connection ] : array();
			foreach ( $fields as $field => $value ) {
				// Locked fields are not posted by the page; a crafted post does not change them either.
				if ( ! in_array( $field, Settings::FIELDS, true ) || in_array( $field, Settings::SECRET_FIELDS, true ) || 'option' !== Settings::source( $field, $connection ) ) {
					continue;
				}
				$clean[ $connection ][ $field ] = self::sanitize_field( $field, (string) $value );
			}
			foreach ( Settings::SECRET_FIELDS as $secret_field ) {
				$clean[ $connection ][ $secret_field ] = self::sanitize_secret( $fields, $secret_field, (string) $stored[ $connection ][ $secret_field ], self::secret_binding( $clean[ $connection ], $connection ) );
			}
		}

		if ( isset( $input['from_email'] ) ) {
			$clean['from_email'] = sanitize_email( (string) $input['from_email'] );
			if ( '' !== trim( (string) $input['from_email'] ) && '' === $clean['from_email'] ) {
				add_settings_error( Settings::OPTION, 'smtpx_from_email', __( 'The From address is not a valid email address; it was not saved.', 'smtpx' ) );
			}
		}
		if ( isset( $input['from_name'] ) ) {
			$clean['from_name'] = sanitize_text_field( (string) $input['from_name'] );
		}
		if ( isset( $input['from_email'] ) || isset( $input['force_from'] ) ) {
			$clean['force_from'] = ! empty( $input['force_from'] );
		}
		if ( Settings::in_network_scope() && isset( $input['from_email'] ) ) {
			$clean['lock_sites'] = ! empty( $input['lock_sites'] ); // An unticked box is not posted.
		}
		if ( isset( $input['alert_email'] ) ) {
			$clean['alert_email'] = sanitize_email( (string) $input['alert_email'] );
		}
		if ( isset( $input['alert_webhook'] ) ) {
			$clean['alert_webhook'] = esc_url_raw( trim( (string) $input['alert_webhook'] ), array( 'https', 'http' ) );
		}
		// An unticked checkbox is not posted: the form's other fields say it was shown.
		if ( isset( $input['from_email'] ) || isset( $input['queue'] ) ) {
			$clean['queue'] = ! empty( $input['queue'] );
		}
		Conflicts::forget();
		delete_transient( 'smtpx_health_probe' );
		Domain_Check::forget(); // The From domain or the provider may have changed.
		return $clean;
	}

	/**
	 * The pre_update_option_smtpx_settings filter: a site's save changes nothing while
	 * the network does not let sites override its settings.
	 *
	 * @param mixed $value     The sanitized new value.
	 * @param mixed $old_value The stored value.
	 * @return mixed
	 */
	public static function refuse_when_sites_locked( $value, $old_value ) {
		return Settings::sites_locked() && ! Settings::in_network_scope() ? $old_value : $value;
	}

	/**
	 * The page.
	 */
	public static function render(): void {
		if ( ! current_user_can( 'manage_options' ) ) {
			return;
		}
		?>
		<div class="wrap smtpx-settings">
			<h1 class="wp-heading-inline"><?php esc_html_e( 'smtpx', 'smtpx' ); ?></h1>
			<a class="page-title-action" href="<?php echo esc_url( Log_Page::url() ); ?>"><?php esc_html_e( 'Email log', 'smtpx' ); ?></a>
			<hr class="wp-header-end" />
			<?php
			Notices::render_status();
			Log_Page::render_queue_state();
			Network_Page::render_site_scope();
			Test_Email::render_result();
			settings_errors( Settings::OPTION );
			?>
			<?php if ( ! Settings::sites_locked() ) : ?>
			<form action="<?php echo esc_url( admin_url( 'options.php' ) ); ?>" method="post" id="smtpx-settings-form">
				<?php
				settings_fields( self::GROUP );
				do_settings_sections( self::SLUG );
				submit_button( __( 'Save settings', 'smtpx' ) );
				?>
			</form>
			<?php endif; ?>
			<?php
			Oauth_Section::render();
			Test_Email::render_form();
			Ports_Panel::render();
			Dkim_Section::render();
			Deliverability_Panel::render();
			self::render_recent_failures();
			self::render_presets_reference();
			?>
		</div>
		<?php
	}

	/**
	 * Text above the connection fields: where the settings come from.
	 */
	public static function render_connection_intro(): void {
		if ( 'ini' === Settings::source( 'host', 'primary' ) ) {
			echo '<p>' . esc_html__( 'The server sets this connection (the smtpx.dsn INI setting); ask your host to change it.', 'smtpx' ) . '</p>';
		} elseif ( defined( 'SMTPX_DSN' ) ) {
			echo '<p>' . esc_html__( 'wp-config.php sets this connection (SMTPX_DSN).', 'smtpx' ) . '</p>';
		} else {
			echo '<p>' . esc_html__( 'Pick your mail provider and enter the credentials it gave you. smtpx tries the provider\'s ports in turn, so a port your host blocks costs no setup.', 'smtpx' ) . '</p>';
		}
	}

	/**
	 * Text above the sending fields: the outbox needs WP-Cron, and a site that disabled
	 * it needs a real cron line.
	 */
	public static function render_sending_intro(): void {
		echo '<p>' . esc_html__( 'Every mail is stored in the outbox first, so none is lost when the provider is down: the WP-Cron event smtpx_queue_run retries it every minute.', 'smtpx' ) . '</p>';
		if ( defined( 'DISABLE_WP_CRON' ) && DISABLE_WP_CRON ) {
			echo '<p class="smtpx-cron-line">' . esc_html__( 'WP-Cron is turned off on this site (DISABLE_WP_CRON), so the server must run it. Add this line to the web server user\'s crontab:', 'smtpx' ) . '<br /><code>' . esc_html( "* * * * * curl -fsS -o /dev/null '" . site_url( 'wp-cron.php?doing_wp_cron' ) . "'" ) . '</code></p>';
		}
	}

	/**
	 * Text above the alert fields.
	 */
	public static function render_alerts_intro(): void {
		echo '<p>' . esc_html__( 'Optional: who hears of a message that failed for good, a refused login, or mail stuck in the outbox for 20 minutes (at most one alert of each kind an hour). The email goes through the fallback connection, or PHP\'s mail() without one; the webhook receives Slack-compatible JSON.', 'smtpx' ) . '</p>';
	}

	/**
	 * Text above the fallback fields.
	 */
	public static function render_fallback_intro(): void {
		echo '<p>' . esc_html__( 'Optional: a second provider, used only when the first cannot be reached or fails temporarily. Leave the provider empty to have no fallback.', 'smtpx' ) . '</p>';
	}

	/**
	 * One connection field.
	 *
	 * @param array<string, string> $args connection, field, label_for.
	 */
	public static function render_connection_field( array $args ): void {
		$connection = $args['connection'];
		$field      = $args['field'];
		$id         = $args['label_for'];
		$name       = Settings::OPTION . '[' . $connection . '][' . $field . ']';
		$source     = Settings::source( $field, $connection );
		$locked     = 'option' !== $source;
		$value      = in_array( $field, Settings::SECRET_FIELDS, true ) ? '' : (string) Settings::value( $field, $connection );
		$preset     = Presets::get( (string) Settings::value( 'preset', $connection ) );
		$disabled   = disabled( $locked, true, false );

		switch ( $field ) {
			case 'preset':
				echo '<select id="' . esc_attr( $id ) . '" name="' . esc_attr( $name ) . '"' . $disabled . '>'; // disabled() returns a fixed attribute.
				echo '<option value="">' . esc_html( 'fallback' === $connection ? __( 'No fallback', 'smtpx' ) : __( 'Choose a provider', 'smtpx' ) ) . '</option>';
				foreach ( Presets::all() as $preset_id => $choice ) {
					echo '<option value="' . esc_attr( $preset_id ) . '"' . selected( $value, $preset_id, false ) . '>' . esc_html( $choice['label'] ) . '</option>';
				}
				echo '</select>';
				break;
			case 'auth':
				$choices = array(
					'password' => __( 'Password, API key or app password', 'smtpx' ),
					'oauth'    => __( 'OAuth 2 (connect the account below, or an access token)', 'smtpx' ),
					'none'     => __( 'None (relay that allows this server\'s IP address)', 'smtpx' ),
				);
				self::render_select( $id, $name, $disabled, $value, $choices );
				break;
			case 'transport':
				$choices = array(
					'smtp' => __( 'SMTP', 'smtpx' ),
					'api'  => __( 'HTTPS API (needs the smtpx extension)', 'smtpx' ),
				);
				self::render_select( $id, $name, $disabled, $value, $choices );
				break;
			case 'tls':
				$choices = array(
					'required' => __( 'Required (recommended)', 'smtpx' ),
					'none'     => __( 'None: only for a relay on this machine or a private network', 'smtpx' ),
				);
				self::render_select( $id, $name, $disabled, $value, $choices );
				break;
			case 'password':
			case 'api_key':
				$saved       = '' !== (string) Settings::stored()[ $connection ][ $field ];
				$placeholder = $saved ? __( 'Saved; leave empty to keep it', 'smtpx' ) : '';
				if ( 'constant' === $source ) {
					$placeholder = __( 'Set in wp-config.php', 'smtpx' );
				}
				echo '<input type="password" class="regular-text" autocomplete="new-password" id="' . esc_attr( $id ) . '" name="' . esc_attr( $name ) . '" value="" placeholder="' . esc_attr( $placeholder ) . '"' . $disabled . ' />';
				if ( $saved && ! $locked ) {
					echo ' <label><input type="checkbox" name="' . esc_attr( Settings::OPTION . '[' . $connection . '][clear_' . $field . ']' ) . '" value="1" /> ' . esc_html__( 'Remove the saved secret', 'smtpx' ) . '</label>';
				}
				if ( $saved && '' === Settings::value( $field, $connection ) && 'option' === $source ) {
					echo '<p class="description smtpx-warning">' . esc_html__( 'The saved secret cannot be read any more (the salts in wp-config.php, or the host or user it was saved for, changed). Enter it again.', 'smtpx' ) . '</p>';
				}
				break;
			default:
				echo '<input type="text" class="regular-text" id="' . esc_attr( $id ) . '" name="' . esc_attr( $name ) . '" value="' . esc_attr( $value ) . '"' . $disabled . ' />';
		}

		self::render_field_description( $field, $connection, $source, $preset );
	}

	/**
	 * From address, From name, Force From.
	 *
	 * @param array<string, string> $args field, label_for.
	 */
	public static function render_global_field( array $args ): void {
		$field    = $args['field'];
		$id       = $args['label_for'];
		$name     = Settings::OPTION . '[' . $field . ']';
		$source   = Settings::source( $field );
		$disabled = disabled( 'option' !== $source, true, false );
		if ( 'force_from' === $field || 'queue' === $field ) {
			echo '<label><input type="checkbox" id="' . esc_attr( $id ) . '" name="' . esc_attr( $name ) . '" value="1"' . checked( (bool) Settings::value( $field ), true, false ) . $disabled . ' /> '; // checked() and disabled() return fixed attributes.
			if ( 'queue' === $field ) {
				echo esc_html__( 'Store each mail and send it after the page is delivered, so visitors never wait for the mail server. Failed attempts are retried either way.', 'smtpx' ) . '</label>';
			} else {
				echo esc_html__( 'Use this address and name for every mail, even when a plugin sets its own (providers only send from verified senders).', 'smtpx' ) . '</label>';
			}
		} else {
			$types = array(
				'from_email'    => 'email',
				'alert_email'   => 'email',
				'alert_webhook' => 'url',
			);
			$type  = $types[ $field ] ?? 'text';
			echo '<input type="' . esc_attr( $type ) . '" class="regular-text" id="' . esc_attr( $id ) . '" name="' . esc_attr( $name ) . '" value="' . esc_attr( (string) Settings::value( $field ) ) . '"' . $disabled . ' />';
			if ( 'from_email' === $field ) {
				echo '<p class="description">' . esc_html__( 'Replaces WordPress\'s default wordpress@ address. Leave empty to keep it.', 'smtpx' ) . '</p>';
			}
		}
		if ( 'constant' === $source ) {
			echo '<p class="description smtpx-locked">' . esc_html__( 'Locked: set in wp-config.php.', 'smtpx' ) . '</p>';
		}
	}

	/**
	 * A select of a connection field.
	 *
	 * @param string                $id       The element id.
	 * @param string                $name     The form name.
	 * @param string                $disabled disabled()'s fixed attribute, or empty.
	 * @param string                $value    The value selected.
	 * @param array<string, string> $choices  Value => label.
	 */
	private static function render_select( string $id, string $name, string $disabled, string $value, array $choices ): void {
		echo '<select id="' . esc_attr( $id ) . '" name="' . esc_attr( $name ) . '"' . $disabled . '>'; // disabled() returns a fixed attribute.
		foreach ( $choices as $choice => $label ) {
			echo '<option value="' . esc_attr( $choice ) . '"' . selected( $value, $choice, false ) . '>' . esc_html( $label ) . '</option>';
		}
		echo '</select>';
	}

	/**
	 * Adds the fields of one connection to a section.
	 *
	 * @param string $connection primary or fallback.
	 * @param string $section    The section id.
	 */
	private static function add_connection_fields( string $connection, string $section ): void {
		$labels = array(
			'preset'    => __( 'Provider', 'smtpx' ),
			'transport' => __( 'Send over', 'smtpx' ),
			'region'    => __( 'Region (Amazon SES)', 'smtpx' ),
			'host'      => __( 'Host (Other SMTP)', 'smtpx' ),
			'ports'     => __( 'Ports', 'smtpx' ),
			'auth'      => __( 'Authentication', 'smtpx' ),
			'username'  => __( 'User name', 'smtpx' ),
			'password'  => __( 'Password or key', 'smtpx' ),
			'api_key'   => __( 'API key for the HTTPS fallback', 'smtpx' ),
			'tls'       => __( 'TLS (Other SMTP)', 'smtpx' ),
		);
		foreach ( $labels as $field => $label ) {
			$id = 'smtpx_' . $connection . '_' . $field;
			add_settings_field(
				$id,
				$label,
				array( self::class, 'render_connection_field' ),
				self::SLUG,
				$section,
				array(
					'connection' => $connection,
					'field'      => $field,
					'label_for'  => $id,
				)
			);
		}
	}

	/**
	 * The line under a field: where a locked value comes from, or what to type.
	 *
	 * @param string                    $field      The field.
	 * @param string                    $connection primary or fallback.
	 * @param string                    $source     constant, ini or option.
	 * @param array<string, mixed>|null $preset     The chosen preset.
	 */
	private static function render_field_description( string $field, string $connection, string $source, ?array $preset ): void {
		if ( 'constant' === $source ) {
			echo '<p class="description smtpx-locked">' . esc_html__( 'Locked: set in wp-config.php.', 'smtpx' ) . '</p>';
			return;
		}
		if ( 'ini' === $source ) {
			echo '<p class="description smtpx-locked">' . esc_html__( 'Locked: set by the server (smtpx.dsn).', 'smtpx' ) . '</p>';
			return;
		}
		if ( 'pinned' === $source ) {
			echo '<p class="description smtpx-locked">' . esc_html__( 'Locked: wp-config.php holds the password, so it also decides where it is sent. Set the host there (SMTPX_HOST) to change it.', 'smtpx' ) . '</p>';
			return;
		}
		$text = '';
		$api  = $preset && isset( $preset['api'] ) && 'api' === Settings::value( 'transport', $connection );
		if ( $api && 'username' === $field ) {
			$text = '' === $preset['api_user_hint'] ? __( 'Not used over the API.', 'smtpx' ) : $preset['api_user_hint'];
		} elseif ( $api && 'password' === $field ) {
			$text = $preset['api_secret_hint'] . ' ' . __( 'Stored encrypted; never shown again.', 'smtpx' );
		} elseif ( 'transport' === $field ) {
			$text = self::transport_hint( $preset );
		} elseif ( 'api_key' === $field ) {
			$text = self::api_key_hint( $preset );
		} elseif ( 'ports' === $field ) {
			$text = self::ports_hint( $preset ? $preset['ports'] : Presets::get( 'other' )['ports'] );
		} elseif ( 'username' === $field && $preset ) {
			$text = isset( $preset['user'] ) ? sprintf( /* translators: %s: fixed user name. */ __( 'Always "%s" for this provider; this field is ignored.', 'smtpx' ), $preset['user'] ) : $preset['user_hint'];
		} elseif ( 'password' === $field && $preset ) {
			$text = $preset['secret_hint'] . ' ' . __( 'Stored encrypted; never shown again.', 'smtpx' );
		} elseif ( 'region' === $field ) {
			$text = __( 'For example eu-west-1 or us-east-1.', 'smtpx' );
		}
		if ( '' !== $text ) {
			echo '<p class="description">' . esc_html( $text ) . '</p>';
		}
	}

	/**
	 * What "Send over" means for a preset: whether its SMTP connection falls back to its API.
	 *
	 * @param array<string, mixed>|null $preset The chosen preset.
	 */
	private static function transport_hint( ?array $preset ): string {
		if ( ! $preset || ! isset( $preset['api'] ) ) {
			return __( 'This provider is reached over SMTP only.', 'smtpx' );
		}
		if ( ! empty( $preset['api_same_secret'] ) ) {
			return __( 'The HTTPS API is for servers whose host blocks every SMTP port. Over SMTP, mail goes over the API with the same key when no SMTP port can be reached.', 'smtpx' );
		}
		return __( 'The HTTPS API is for servers whose host blocks every SMTP port. Over SMTP, mail goes over the API when no SMTP port can be reached, if you enter an API key below.', 'smtpx' );
	}

	/**
	 * What the fallback API key is for a preset.
	 *
	 * @param array<string, mixed>|null $preset The chosen preset.
	 */
	private static function api_key_hint( ?array $preset ): string {
		return isset( $preset['api_key_hint'] ) ? $preset['api_key_hint'] . ' ' . __( 'Needs the smtpx extension.', 'smtpx' ) : __( 'Not needed for this provider.', 'smtpx' );
	}

	/**
	 * What to type in the ports field, naming the provider's own ports.
	 *
	 * @param array<int|string> $ports The preset's ports.
	 */
	private static function ports_hint( array $ports ): string {
		return sprintf(
			/* translators: %s: the provider's ports, e.g. "587, 2525, 465/tls". */
			__( 'Leave empty for the provider\'s ports (%s). A list such as "587, 2525, 465/tls" is tried in order; "/tls" marks implicit TLS.', 'smtpx' ),
			implode( ', ', $ports )
		);
	}

	/**
	 * Sanitizes one non-secret connection field.
	 *
	 * @param string $field A field of Settings::FIELDS.
	 * @param string $value As submitted.
	 */
	private static function sanitize_field( string $field, string $value ): string {
		$value = trim( $value );
		switch ( $field ) {
			case 'preset':
				return null === Presets::get( $value ) ? '' : $value;
			case 'region':
				return preg_match( '/^[a-z]{2}(-[a-z]+)+-\d$/', $value ) ? $value : '';
			case 'host':
				return preg_match( '/^[A-Za-z0-9.-]{1,253}$/', $value ) ? strtolower( $value ) : '';
			case 'ports':
				return implode( ', ', Settings::parse_ports( $value ) );
			case 'auth':
				return in_array( $value, array( 'password', 'oauth', 'none' ), true ) ? $value : 'password';
			case 'tls':
				return 'none' === $value ? 'none' : 'required';
			case 'transport':
				return 'api' === $value ? 'api' : 'smtp';
			default:
				return sanitize_text_field( $value );
		}
	}

	/**
	 * The stored secret after a save: sealed anew, kept, or removed. A kept secret is
	 * sealed again for the connection's host and user; when those changed it no longer
	 * opens, and is removed with a request to enter it again.
	 *
	 * @param array<string, mixed> $fields  The submitted connection fields.
	 * @param string               $field   password or api_key.
	 * @param string               $stored  The sealed secret saved before.
	 * @param string               $binding Where the secret may be sent (Settings::secret_binding()).
	 */
	private static function sanitize_secret( array $fields, string $field, string $stored, string $binding ): string {
		$secret = (string) ( $fields[ $field ] ?? '' );
		if ( ! empty( $fields[ 'clear_' . $field ] ) ) {
			return '';
		}
		if ( '' !== $secret && null !== Secret_Box::open( $secret, $binding ) ) {
			return $secret; // Sealed by this save's first pass.
		}
		if ( '' !== $secret ) {
			return Secret_Box::seal( $secret, $binding );
		}
		if ( '' === $stored ) {
			return '';
		}
		$kept = Secret_Box::open( $stored, $binding );
		if ( null === $kept ) {
			add_settings_error( Settings::OPTION, 'smtpx_secret_binding', __( 'The saved password was for another host or user (or the salts in wp-config.php changed): enter it again.', 'smtpx' ) );
			return '';
		}
		return Secret_Box::seal( $kept, $binding );
	}

	/**
	 * Where a connection's secret may be sent after this save: the submitted host and
	 * user, or the constants' where wp-config.php sets them.
	 *
	 * @param array<string, mixed> $clean      The connection's sanitized fields.
	 * @param string               $connection primary or fallback.
	 */
	private static function secret_binding( array $clean, string $connection ): string {
		$fields = array();
		foreach ( array( 'preset', 'region', 'host', 'username' ) as $field ) {
			$fields[ $field ] = 'option' === Settings::source( $field, $connection ) ? $clean[ $field ] : Settings::value( $field, $connection );
		}
		return Settings::secret_binding( $fields );
	}

	/**
	 * The recent failures table.
	 */
	private static function render_recent_failures(): void {
		$failures = Failure_Log::recent();
		if ( ! $failures ) {
			return;
		}
		echo '<h2>' . esc_html__( 'Recent failures', 'smtpx' ) . '</h2>';
		echo '<table class="widefat striped"><thead><tr><th>' . esc_html__( 'When', 'smtpx' ) . '</th><th>' . esc_html__( 'Connection', 'smtpx' ) . '</th><th>' . esc_html__( 'Step', 'smtpx' ) . '</th><th>' . esc_html__( 'Server reply', 'smtpx' ) . '</th><th>' . esc_html__( 'What to do', 'smtpx' ) . '</th></tr></thead><tbody>';
		foreach ( $failures as $failure ) {
			printf(
				'<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>',
				esc_html( wp_date( get_option( 'date_format' ) . ' ' . get_option( 'time_format' ), (int) $failure['time'] ) ),
				esc_html( $failure['connection'] . ' (' . $failure['host'] . ')' ),
				esc_html( $failure['phase'] ),
				esc_html( $failure['message'] ),
				esc_html( $failure['hint'] )
			);
		}
		echo '</tbody></table>';
	}

	/**
	 * What each provider expects, for reference while filling the form.
	 */
	private static function render_presets_reference(): void {
		echo '<details class="smtpx-presets"><summary>' . esc_html__( 'What each provider expects', 'smtpx' ) . '</summary>';
		echo '<table class="widefat striped"><thead><tr><th>' . esc_html__( 'Provider', 'smtpx' ) . '</th><th>' . esc_html__( 'Host', 'smtpx' ) . '</th><th>' . esc_html__( 'Ports', 'smtpx' ) . '</th><th>' . esc_html__( 'User name', 'smtpx' ) . '</th><th>' . esc_html__( 'Password or key', 'smtpx' ) . '</th></tr></thead><tbody>';
		foreach ( Presets::all() as $preset ) {
			printf(
				'<tr><td>%s</td><td><code>%s</code></td><td>%s</td><td>%s</td><td>%s</td></tr>',
				esc_html( $preset['label'] ),
				esc_html( '' === $preset['host'] ? __( 'any', 'smtpx' ) : $preset['host'] ),
				esc_html( implode( ', ', $preset['ports'] ) ),
				esc_html( isset( $preset['user'] ) ? $preset['user'] : $preset['user_hint'] ),
				esc_html( $preset['secret_hint'] )
			);
		}
		echo '</tbody></table></details>';
	}
}
