<?php
/**
 * Where every setting comes from, strongest first: a constant in wp-config.php, the
 * extension's INI settings (a host's server-wide choice), the settings page. A value
 * from a constant or INI is never written to the database; the page shows it locked.
 *
 * Two connections share one shape: "primary", and "fallback", used when the
 * primary fails with a connection or transient error.
 *
 * A connection goes over SMTP, or over its provider's HTTPS API (transport "api", with
 * the extension only: Mailgun and SES, whose APIs take the composed message; SendGrid,
 * Postmark and Brevo, whose APIs take its fields, Message_Fields); an SMTP connection of
 * such a provider falls back to the API when no SMTP port can be reached: with its own
 * secret at SendGrid and Postmark, given the optional API key at the others.
 *
 * Constants: SMTPX_DSN or SMTPX_PRESET, SMTPX_REGION, SMTPX_HOST, SMTPX_PORTS (or
 * SMTPX_PORT), SMTPX_AUTH, SMTPX_USER, SMTPX_PASSWORD, SMTPX_OAUTH_TOKEN, SMTPX_TLS,
 * SMTPX_TRANSPORT (smtp or api), SMTPX_API_KEY (the fallback key), SMTPX_API_ENDPOINT
 * (a base URL instead of the provider's API host: a company proxy, a test server);
 * the same with SMTPX_FALLBACK_ for the fallback; SMTPX_FROM, SMTPX_FROM_NAME,
 * SMTPX_FORCE_FROM, SMTPX_QUEUE (background sending), SMTPX_ALERT_EMAIL, SMTPX_ALERT_WEBHOOK,
 * SMTPX_CAFILE, SMTPX_DO_NOT_SEND. A connection named in wp-config.php
 * (its DSN, preset or host) is taken wholly from constants; otherwise one constant, such
 * as SMTPX_PASSWORD alone, overrides its field only.
 *
 * @package Smtpx
 */

namespace Smtpx\WordPress;

defined( 'ABSPATH' ) || exit;

/**
 * Reads the merged settings and turns a connection into the extension's transport.
 */
final class Settings {

	public const OPTION      = 'smtpx_settings';
	public const CONNECTIONS = array( 'primary', 'fallback' );
	public const FIELDS      = array( 'preset', 'transport', 'region', 'host', 'ports', 'auth', 'username', 'password', 'api_key', 'tls' );

	/**
	 * The fields stored sealed (Secret_Box), never shown again.
	 */
	public const SECRET_FIELDS = array( 'password', 'api_key' );

	/**
	 * The fields that decide where a connection's secret is sent.
	 */
	private const DESTINATION_FIELDS = array( 'preset', 'transport', 'region', 'host', 'ports', 'tls' );

	/**
	 * The constant that sets each field, without the connection prefix.
	 */
	private const FIELD_CONSTANTS = array(
		'preset'    => 'PRESET',
		'transport' => 'TRANSPORT',
		'region'    => 'REGION',
		'host'      => 'HOST',
		'ports'     => 'PORTS',
		'auth'      => 'AUTH',
		'username'  => 'USER',
		'password'  => 'PASSWORD',
		'api_key'   => 'API_KEY',
		'tls'       => 'TLS',
	);

	private const GLOBAL_CONSTANTS = array(
		'from_email'    => 'SMTPX_FROM',
		'from_name'     => 'SMTPX_FROM_NAME',
		'force_from'    => 'SMTPX_FORCE_FROM',
		'queue'         => 'SMTPX_QUEUE',
		'alert_email'   => 'SMTPX_ALERT_EMAIL',
		'alert_webhook' => 'SMTPX_ALERT_WEBHOOK',
	);

	/**
	 * Whether the network's settings are read and written instead of the site's
	 * (the network admin page sets it while it renders and saves).
	 *
	 * @var bool
	 */
	private static $network_scope = false;

	/**
	 * Switches between the site's settings and the network's.
	 *
	 * @param bool $network True for the network's settings.
	 */
	public static function use_network_scope( bool $network ): void {
		self::$network_scope = $network;
	}

	/**
	 * Whether this site uses the network's settings (multisite): it has none of its own,
	 * or the network does not let sites override them.
	 */
	public static function inherits_network(): bool {
		return is_multisite() && ! self::$network_scope && ( self::sites_locked() || ! is_array( get_option( self::OPTION, null ) ) );
	}

	/**
	 * Whether the network's administrator set "Sites may not override" (multisite).
	 */
	public static function sites_locked(): bool {
		if ( ! is_multisite() ) {
			return false;
		}
		$network = get_site_option( self::OPTION, array() );
		return is_array( $network ) && ! empty( $network['lock_sites'] );
	}

	/**
	 * Whether settings saved now would be the network's.
	 */
	public static function in_network_scope(): bool {
		return self::$network_scope;
	}

	/**
	 * The stored option with every key present: the site's, or on multisite the
	 * network's when the site has none of its own.
	 *
	 * @return array<string, mixed>
	 */
	public static function stored(): array {
		if ( self::$network_scope || self::inherits_network() ) {
			$stored = get_site_option( self::OPTION, array() );
		} else {
			$stored = get_option( self::OPTION, array() );
		}
		$stored     = is_array( $stored ) ? $stored : array();
		$connection = array_fill_keys( self::FIELDS, '' );
		$defaults   = array(
			'primary'       => $connection,
			'fallback'      => $connection,
			'from_email'    => '',
			'from_name'     => '',
			'force_from'    => false,
			'queue'         => false,
			'alert_email'   => '',
			'alert_webhook' => '',
		);
		foreach ( self::CONNECTIONS as $name ) {
			$stored[ $name ] = array_merge( $connection, is_array( $stored[ $name ] ?? null ) ? $stored[ $name ] : array() );
		}
		return array_merge( $defaults, $stored );
	}

	/**
	 * Where a field's value comes from: "constant", "ini", "option", or "pinned" (the
	 * option's value, locked because wp-config.php holds the secret it is sent with).
	 *
	 * @param string      $field      A field of FIELDS, or from_email, from_name, force_from, queue,
	 *                                alert_email, alert_webhook.
	 * @param string|null $connection primary or fallback for connection fields.
	 */
	public static function source( string $field, ?string $connection = null ): string {
		if ( null === $connection ) {
			return defined( self::GLOBAL_CONSTANTS[ $field ] ) ? 'constant' : 'option';
		}
		// A connection named in wp-config.php (DSN, preset or host) is wholly the constants'.
		if ( self::connection_constants_defined( $connection ) || '' !== self::constant_value( $field, $connection ) ) {
			return 'constant';
		}
		// A secret from wp-config.php goes only where the page said when it was set: the page
		// cannot send it to a host of someone else's choosing.
		if ( in_array( $field, self::DESTINATION_FIELDS, true ) && self::secret_from_constant( $connection ) ) {
			return 'pinned';
		}
		if ( 'primary' === $connection && '' !== self::ini_dsn() ) {
			return 'ini';
		}
		return 'option';
	}

	/**
	 * A setting's effective value. Secrets come back decrypted.
	 *
	 * @param string      $field      As for source().
	 * @param string|null $connection As for source().
	 * @return mixed
	 */
	public static function value( string $field, ?string $connection = null ) {
		if ( null === $connection ) {
			$constant = self::GLOBAL_CONSTANTS[ $field ];
			return defined( $constant ) ? constant( $constant ) : self::stored()[ $field ];
		}
		$source = self::source( $field, $connection );
		if ( 'ini' === $source ) {
			return '';
		}
		if ( 'constant' === $source ) {
			$value = self::constant_value( $field, $connection );
			return is_array( $value ) ? implode( ', ', $value ) : $value;
		}
		$value = self::stored()[ $connection ][ $field ];
		if ( in_array( $field, self::SECRET_FIELDS, true ) ) {
			return '' === $value ? '' : (string) Secret_Box::open( $value, self::secret_binding( self::binding_fields( $connection ) ) );
		}
		return $value;
	}

	/**
	 * Whether a connection goes over its provider's HTTPS API rather than SMTP.
	 *
	 * @param string $connection primary or fallback.
	 */
	public static function uses_api( string $connection ): bool {
		$transport = self::transport( $connection );
		if ( is_string( $transport ) ) {
			return str_contains( (string) wp_parse_url( $transport, PHP_URL_SCHEME ), '+api' );
		}
		return is_array( $transport ) && isset( $transport['api'] );
	}

	/**
	 * Whether a connection set to an HTTPS API goes over SMTP instead, because the
	 * extension that speaks the API is missing and the API's key opens the provider's
	 * SMTP server too (SendGrid, Postmark). Other providers' API secrets do not: their
	 * mail waits for the extension (Phpmailer_Submission says why).
	 *
	 * @param string $connection primary or fallback.
	 */
	public static function api_over_smtp( string $connection ): bool {
		if ( self::extension_loaded() || 'api' !== self::value( 'transport', $connection ) ) {
			return false;
		}
		$preset = Presets::get( (string) self::value( 'preset', $connection ) );
		return ! empty( $preset['api_same_secret'] );
	}

	/**
	 * The extension's $transport for a connection: a DSN string, null for the INI
	 * defaults, an array, or false when this connection is not configured.
	 *
	 * @param string $connection primary or fallback.
	 * @return array<string, mixed>|string|null|false
	 */
	public static function transport( string $connection ) {
		$dsn = self::constant_name( 'DSN', $connection );
		if ( defined( $dsn ) ) {
			$transport = (string) constant( $dsn );
		} elseif ( 'ini' === self::source( 'host', $connection ) ) {
			$transport = null;
		} else {
			$transport = self::transport_from_fields( $connection );
		}
		/**
		 * Filters the transport handed to smtpx_send_raw() (or smtpx_send(), Message_Fields) for a connection.
		 *
		 * @param array|string|null|false $transport  The transport, false when not configured.
		 * @param string                  $connection primary or fallback.
		 */
		return apply_filters( 'smtpx_transport', $transport, $connection );
	}

	/**
	 * Where a secret may be sent: the host and user of its connection, as the transport
	 * would use them (a preset's host and fixed user included).
	 *
	 * @param array<string, mixed> $fields preset, region, host, username.
	 */
	public static function secret_binding( array $fields ): string {
		$preset_id = (string) ( $fields['preset'] ?? '' );
		$preset    = Presets::get( '' === $preset_id ? 'other' : $preset_id );
		$host      = null === $preset ? '' : Presets::host( $preset, trim( (string) ( $fields['host'] ?? '' ) ), trim( (string) ( $fields['region'] ?? '' ) ) );
		$user      = (string) ( $preset['user'] ?? $fields['username'] ?? '' );
		return strtolower( $host ) . "\n" . $user;
	}

	/**
	 * Whether a connection's saved secret cannot be opened (the salts in wp-config.php
	 * changed since it was sealed, or the host or user it was saved for): the connection
	 * must not be used without it.
	 *
	 * @param string $connection primary or fallback.
	 */
	public static function secret_unreadable( string $connection ): bool {
		return 'option' === self::source( 'password', $connection )
			&& '' !== (string) self::stored()[ $connection ]['password']
			&& '' === self::value( 'password', $connection );
	}

	/**
	 * Whether a connection can be used.
	 *
	 * @param string $connection primary or fallback.
	 */
	public static function is_configured( string $connection = 'primary' ): bool {
		return false !== self::transport( $connection );
	}

	/**
	 * Whether the extension is loaded with the function the plugin calls.
	 */
	public static function extension_loaded(): bool {
		return function_exists( 'smtpx_send_raw' );
	}

	/**
	 * Whether mail goes through smtpx at all (through the extension, or PHPMailer's SMTP
	 * client without it); otherwise WordPress's own path is left alone.
	 */
	public static function routes_mail(): bool {
		return self::do_not_send() || self::is_configured( 'primary' );
	}

	/**
	 * The staging switch: mail is accepted and dropped.
	 */
	public static function do_not_send(): bool {
		return defined( 'SMTPX_DO_NOT_SEND' ) && SMTPX_DO_NOT_SEND;
	}

	/**
	 * The host a connection submits to, for messages and hints ("" when unknown).
	 *
	 * @param string $connection primary or fallback.
	 */
	public static function host( string $connection ): string {
		$transport = self::transport( $connection );
		if ( is_array( $transport ) && isset( $transport['api'] ) ) {
			if ( isset( $transport['api_endpoint'] ) ) {
				return (string) wp_parse_url( $transport['api_endpoint'], PHP_URL_HOST );
			}
			$preset = Presets::get( (string) self::value( 'preset', $connection ) );
			return null === $preset ? '' : Presets::api_host( $preset, trim( (string) self::value( 'region', $connection ) ) );
		}
		if ( is_array( $transport ) ) {
			return (string) ( $transport['host'] ?? '' );
		}
		$dsn = is_string( $transport ) ? $transport : self::ini_dsn();
		return (string) wp_parse_url( $dsn, PHP_URL_HOST );
	}

	/**
	 * The server-wide DSN from the extension's INI settings.
	 */
	public static function ini_dsn(): string {
		$dsn = ini_get( 'smtpx.dsn' );
		return false === $dsn ? '' : trim( $dsn );
	}

	/**
	 * Parses "587, 2525, 465/tls" into the extension's ports list.
	 *
	 * @param string|int|array<int|string> $ports As typed or defined.
	 * @return array<int|string>
	 */
	public static function parse_ports( $ports ): array {
		$items = is_array( $ports ) ? $ports : preg_split( '/[\s,]+/', (string) $ports, -1, PREG_SPLIT_NO_EMPTY );
		$list  = array();
		foreach ( $items as $item ) {
			$item = strtolower( trim( (string) $item ) );
			if ( preg_match( '/^\d{1,5}$/', $item ) ) {
				$list[] = (int) $item;
			} elseif ( preg_match( '#^\d{1,5}/(tls|starttls|none)$#', $item ) ) {
				$list[] = $item;
			}
		}
		return $list;
	}

	/**
	 * Builds the transport array from the fields of a connection.
	 *
	 * @param string $connection primary or fallback.
	 * @return array<string, mixed>|false
	 */
	private static function transport_from_fields( string $connection ) {
		$preset_id = (string) self::value( 'preset', $connection );
		if ( '' === $preset_id && '' !== (string) self::value( 'host', $connection ) ) {
			$preset_id = 'other';
		}
		$preset = Presets::get( $preset_id );
		if ( null === $preset ) {
			return false;
		}
		$region = trim( (string) self::value( 'region', $connection ) );
		if ( 'api' === self::value( 'transport', $connection ) && isset( $preset['api'] ) && ! self::api_over_smtp( $connection ) ) {
			return self::api_transport( $preset, (string) self::value( 'username', $connection ), (string) self::value( 'password', $connection ), $region );
		}
		$host = Presets::host( $preset, trim( (string) self::value( 'host', $connection ) ), $region );
		if ( '' === $host ) {
			return false;
		}
		$ports     = self::parse_ports( self::value( 'ports', $connection ) );
		$transport = array(
			'host'  => $host,
			'ports' => $ports ? $ports : $preset['ports'],
		);

		$auth     = (string) self::value( 'auth', $connection );
		$auth     = in_array( $auth, $preset['auth'], true ) ? $auth : $preset['auth'][0];
		$username = (string) ( $preset['user'] ?? self::value( 'username', $connection ) );
		$secret   = (string) self::value( 'password', $connection );
		if ( 'oauth' === $auth || defined( self::constant_name( 'OAUTH_TOKEN', $connection ) ) ) {
			$token = self::constant_name( 'OAUTH_TOKEN', $connection );
			$transport['username']    = $username;
			$transport['oauth_token'] = defined( $token ) ? (string) constant( $token ) : $secret;
		} elseif ( 'password' === $auth && '' !== $secret ) {
			// Postmark: the server token is both user name and password.
			$transport['username'] = '' === $username ? $secret : $username;
			$transport['password'] = $secret;
		}

		if ( 'other' === $preset_id && 'none' === self::value( 'tls', $connection ) ) {
			$transport['tls'] = 'none';
		}
		if ( defined( 'SMTPX_CAFILE' ) ) {
			$transport['cafile'] = (string) SMTPX_CAFILE;
		}
		$api_key  = empty( $preset['api_same_secret'] ) ? (string) self::value( 'api_key', $connection ) : $secret;
		$fallback = self::api_fallback( $preset, $username, $api_key, $region );
		if ( null !== $fallback ) {
			$transport['fallback'] = $fallback;
		}
		return $transport;
	}

	/**
	 * The HTTPS API an SMTP connection falls back to when no SMTP port can be reached,
	 * with the fallback key (SendGrid, Postmark: the SMTP password); null without one (or
	 * without the extension, which alone speaks HTTPS APIs). Given here even where the
	 * extension would fall back by itself, so that SMTPX_API_ENDPOINT applies to it too.
	 *
	 * @param array<string, mixed> $preset   The connection's preset.
	 * @param string               $username The SMTP user name (Mailgun's login names the domain; SES's is the access key ID).
	 * @param string               $api_key  The fallback key, or the SMTP password that is the API's key.
	 * @param string               $region   The region field.
	 * @return array<string, mixed>|null
	 */
	private static function api_fallback( array $preset, string $username, string $api_key, string $region ): ?array {
		if ( ! isset( $preset['api'] ) || ! self::extension_loaded() || '' === $api_key ) {
			return null;
		}
		// Mailgun's SMTP login is postmaster@DOMAIN; its API wants the domain.
		$user = 'mailgun' === $preset['api'] ? (string) substr( (string) strrchr( $username, '@' ), 1 ) : $username;
		return self::api_transport( $preset, $user, $api_key, $region );
	}

	/**
	 * The extension's transport for a preset's HTTPS API.
	 *
	 * @param array<string, mixed> $preset The preset, with api.
	 * @param string               $user   Mailgun: the sending domain; SES: the access key ID; unused by the others.
	 * @param string               $secret The API key or server token (SES: the secret access key).
	 * @param string               $region The region field (SES).
	 * @return array<string, mixed>|false False when the region is missing.
	 */
	private static function api_transport( array $preset, string $user, string $secret, string $region ) {
		$api_host = Presets::api_host( $preset, $region );
		if ( '' === $api_host ) {
			return false;
		}
		$transport = array(
			'api'     => $preset['api'],
			'api_key' => 'ses' === $preset['api'] ? $user : $secret,
		);
		if ( 'ses' === $preset['api'] ) {
			$transport['secret'] = $secret;
			$transport['region'] = $region;
		} elseif ( 'mailgun' === $preset['api'] ) {
			$transport['domain'] = $user;
		}
		if ( isset( $preset['api_region'] ) ) {
			$transport['region'] = $preset['api_region'];
		}
		if ( defined( 'SMTPX_API_ENDPOINT' ) ) {
			$transport['api_endpoint'] = (string) SMTPX_API_ENDPOINT;
		}
		if ( defined( 'SMTPX_CAFILE' ) ) {
			$transport['cafile'] = (string) SMTPX_CAFILE;
		}
		return $transport;
	}

	/**
	 * The effective fields a connection's secret is bound to.
	 *
	 * @param string $connection primary or fallback.
	 * @return array<string, mixed>
	 */
	private static function binding_fields( string $connection ): array {
		$fields = array();
		foreach ( array( 'preset', 'region', 'host', 'username' ) as $field ) {
			$fields[ $field ] = self::value( $field, $connection );
		}
		return $fields;
	}

	/**
	 * A connection field's value from its constant.
	 *
	 * @param string $field      A field of FIELDS.
	 * @param string $connection primary or fallback.
	 * @return mixed
	 */
	private static function constant_value( string $field, string $connection ) {
		$name = self::constant_name( self::FIELD_CONSTANTS[ $field ], $connection );
		if ( 'ports' === $field && ! defined( $name ) ) {
			$name = self::constant_name( 'PORT', $connection );
		}
		if ( 'auth' === $field && ! defined( $name ) && defined( self::constant_name( 'OAUTH_TOKEN', $connection ) ) ) {
			return 'oauth';
		}
		if ( 'preset' === $field && ! defined( $name ) && defined( self::constant_name( 'HOST', $connection ) ) ) {
			return 'other';
		}
		return defined( $name ) ? constant( $name ) : '';
	}

	/**
	 * Whether wp-config.php holds a secret of this connection (SMTPX_PASSWORD, SMTPX_OAUTH_TOKEN, SMTPX_API_KEY).
	 *
	 * @param string $connection primary or fallback.
	 */
	private static function secret_from_constant( string $connection ): bool {
		foreach ( array( 'PASSWORD', 'OAUTH_TOKEN', 'API_KEY' ) as $suffix ) {
			if ( defined( self::constant_name( $suffix, $connection ) ) ) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Whether wp-config.php defines this connection (its DSN, preset or host).
	 *
	 * @param string $connection primary or fallback.
	 */
	private static function connection_constants_defined( string $connection ): bool {
		foreach ( array( 'DSN', 'PRESET', 'HOST' ) as $suffix ) {
			if ( defined( self::constant_name( $suffix, $connection ) ) ) {
				return true;
			}
		}
		return false;
	}

	/**
	 * SMTPX_HOST for the primary, SMTPX_FALLBACK_HOST for the fallback.
	 *
	 * @param string $suffix     The field's constant without prefix.
	 * @param string $connection primary or fallback.
	 */
	private static function constant_name( string $suffix, string $connection ): string {
		return ( 'fallback' === $connection ? 'SMTPX_FALLBACK_' : 'SMTPX_' ) . $suffix;
	}
}
