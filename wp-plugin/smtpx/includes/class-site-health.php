<?php
/**
 * Site Health tests: the extension (loaded, version), the connection (reachable, TLS
 * verified, AUTH accepted, or the HTTPS API reachable, measured with smtpx_probe() at
 * most once an hour, run asynchronously through a REST endpoint so the page never
 * waits for a port), recent failures, whether mail went over an HTTPS API because SMTP
 * was blocked, the outbox (stuck, or holding mail for a person), and deliverability (the
 * From domain's DNS: Domain_Check, asynchronous too, its report kept for an hour).
 *
 * @package Smtpx
 */

namespace Smtpx\WordPress;

defined( 'ABSPATH' ) || exit;

/**
 * The site_status_tests filter and its tests.
 */
final class Site_Health {

	public const REST_NAMESPACE  = 'smtpx/v1';
	public const REST_CONNECTION = '/site-health/connection';
	public const REST_DOMAIN     = '/site-health/deliverability';

	/**
	 * The rest_api_init action: the connection test's endpoint, for Site Health's page.
	 */
	public static function register_rest_route(): void {
		foreach ( array( self::REST_CONNECTION => 'test_connection', self::REST_DOMAIN => 'test_deliverability' ) as $route => $test ) {
			register_rest_route(
				self::REST_NAMESPACE,
				$route,
				array(
					'methods'             => 'GET',
					'callback'            => static function () use ( $test ) {
						return rest_ensure_response( self::$test() );
					},
					'permission_callback' => static function () {
						return current_user_can( 'view_site_health_checks' );
					},
				)
			);
		}
	}

	/**
	 * Adds the tests.
	 *
	 * @param array<string, mixed> $tests Core's tests.
	 * @return array<string, mixed>
	 */
	public static function register( $tests ) {
		$tests['direct']['smtpx_extension']  = array(
			'label' => __( 'smtpx extension', 'smtpx' ),
			'test'  => array( self::class, 'test_extension' ),
		);
		// Asynchronous: measuring the ports may take as long as a silent port's timeout,
		// and the Site Health page must not wait for it.
		$tests['async']['smtpx_connection']  = array(
			'label'             => __( 'smtpx connection', 'smtpx' ),
			'test'              => rest_url( self::REST_NAMESPACE . self::REST_CONNECTION ),
			'has_rest'          => true,
			'async_direct_test' => array( self::class, 'test_connection' ),
		);
		// Asynchronous as well: DNS lookups may be slow.
		$tests['async']['smtpx_deliverability'] = array(
			'label'             => __( 'smtpx deliverability', 'smtpx' ),
			'test'              => rest_url( self::REST_NAMESPACE . self::REST_DOMAIN ),
			'has_rest'          => true,
			'async_direct_test' => array( self::class, 'test_deliverability' ),
		);
		$tests['direct']['smtpx_failures']   = array(
			'label' => __( 'smtpx recent failures', 'smtpx' ),
			'test'  => array( self::class, 'test_recent_failures' ),
		);
		$tests['direct']['smtpx_https']      = array(
			'label' => __( 'smtpx over HTTPS', 'smtpx' ),
			'test'  => array( self::class, 'test_https_fallback' ),
		);
		$tests['direct']['smtpx_queue']      = array(
			'label' => __( 'smtpx outbox', 'smtpx' ),
			'test'  => array( self::class, 'test_queue' ),
		);
		return $tests;
	}

	/**
	 * Whether the extension is loaded, and its version.
	 *
	 * @return array<string, mixed>
	 */
	public static function test_extension(): array {
		if ( Settings::extension_loaded() ) {
			/* translators: %s: version. */
			return self::result( 'good', sprintf( __( 'The smtpx extension %s is loaded', 'smtpx' ), phpversion( 'smtpx' ) ), __( 'WordPress can send mail through smtpx.', 'smtpx' ), 'smtpx_extension' );
		}
		return self::result( 'recommended', __( 'The smtpx extension is not loaded', 'smtpx' ), __( 'smtpx sends through PHPMailer\'s SMTP client, one port after another and one connection per mail. The extension adds pooled connections, port racing and one round trip per mail: ask your host to install and enable it.', 'smtpx' ), 'smtpx_extension' );
	}

	/**
	 * Whether the connection is configured, reachable, verified and accepts the login.
	 *
	 * @return array<string, mixed>
	 */
	public static function test_connection(): array {
		if ( ! Settings::is_configured( 'primary' ) ) {
			return self::result( 'recommended', __( 'No smtpx connection is configured', 'smtpx' ), __( 'Choose a mail provider under Settings > smtpx.', 'smtpx' ), 'smtpx_connection' );
		}
		$host = Settings::host( 'primary' );
		if ( Settings::secret_unreadable( 'primary' ) ) {
			return self::result( 'critical', __( 'smtpx cannot read its saved password', 'smtpx' ), __( 'The salts in wp-config.php changed since the password was saved, so it cannot be decrypted and no mail is sent; mail waits in the outbox. Enter the password again under Settings > smtpx.', 'smtpx' ), 'smtpx_connection' );
		}
		if ( Oauth_Grant::needs_reconnect() ) {
			/* translators: %s: why the account must be connected again. */
			$text = sprintf( __( '%s, so no mail is sent; mail waits in the outbox and goes out once the account is connected again under Settings > smtpx.', 'smtpx' ), Oauth_Grant::reconnect_reason() );
			return self::result( 'critical', __( 'smtpx must be connected to the mail account again', 'smtpx' ), $text, 'smtpx_connection' );
		}
		if ( ! Settings::extension_loaded() || ! Ports_Panel::available() ) {
			/* translators: %s: host. */
			return self::result( 'good', sprintf( __( 'smtpx is configured to send through %s', 'smtpx' ), $host ), __( 'Use "Send test email" under Settings > smtpx to check the connection.', 'smtpx' ), 'smtpx_connection' );
		}
		$probe = get_transient( 'smtpx_health_probe' );
		if ( ! is_array( $probe ) ) {
			try {
				$probe = smtpx_probe( Settings::transport( 'primary' ) );
			} catch ( \Throwable $failure ) {
				$probe = array( 'error' => $failure->getMessage() );
			}
			set_transient( 'smtpx_health_probe', $probe, HOUR_IN_SECONDS );
		}
		if ( Settings::uses_api( 'primary' ) ) {
			return self::api_result( (array) ( $probe['api'] ?? array() ), (string) ( $probe['error'] ?? '' ), $host );
		}
		$api = is_array( $probe['api'] ?? null ) ? $probe['api'] : array();
		if ( ! isset( $probe['error'] ) && empty( $probe['recommended'] ) && ! empty( $api['reachable'] ) ) {
			/* translators: 1: host, 2: the API transport, e.g. brevo+api. */
			$text = sprintf( __( 'No SMTP port of %1$s can be used from this server, so mail goes over the provider\'s HTTPS API (%2$s) instead. Hosts often block outgoing mail ports; the Ports panel under Settings > smtpx shows each one.', 'smtpx' ), $host, $api['transport'] );
			return self::result( 'recommended', __( 'smtpx sends over HTTPS: SMTP is blocked here', 'smtpx' ), $text, 'smtpx_connection' );
		}
		if ( isset( $probe['error'] ) || empty( $probe['recommended'] ) ) {
			$errors = array();
			foreach ( (array) ( $probe['ports'] ?? array() ) as $port ) {
				$errors[] = ( $port['port'] ?? '' ) . ': ' . ( $port['error'] ?? __( 'not usable', 'smtpx' ) );
			}
			$detail = isset( $probe['error'] ) ? (string) $probe['error'] : implode( '; ', $errors );
			/* translators: 1: host, 2: what each port answered. */
			$text = sprintf( __( 'No port of %1$s can be used from this server (%2$s). Hosts often block outgoing mail ports; the Ports panel under Settings > smtpx shows each one.', 'smtpx' ), $host, $detail );
			return self::result( 'critical', __( 'smtpx cannot reach the mail server', 'smtpx' ), $text, 'smtpx_connection' );
		}
		$chosen = array();
		foreach ( (array) $probe['ports'] as $port ) {
			if ( ( $port['port'] ?? null ) === ( $probe['recommended']['port'] ?? null ) ) {
				$chosen = $port;
			}
		}
		if ( false === ( $chosen['auth_succeeded'] ?? null ) ) {
			/* translators: %s: host. */
			$text = sprintf( __( '%s refused the user name or password. Send a test email under Settings > smtpx to see the server\'s answer and what to do.', 'smtpx' ), $host );
			return self::result( 'critical', __( 'The mail server refuses smtpx\'s login', 'smtpx' ), $text, 'smtpx_connection' );
		}
		$verified = is_array( $chosen['tls_info'] ?? null ) && ! empty( $chosen['tls_info']['verified'] );
		$label    = $verified
			/* translators: 1: host, 2: port. */
			? sprintf( __( 'smtpx reaches %1$s on port %2$s with verified TLS', 'smtpx' ), $host, $probe['recommended']['port'] )
			/* translators: 1: host, 2: port. */
			: sprintf( __( 'smtpx reaches %1$s on port %2$s', 'smtpx' ), $host, $probe['recommended']['port'] );
		return self::result( $verified ? 'good' : 'recommended', $label, $verified ? __( 'The server is reachable, its certificate is verified and the login is accepted.', 'smtpx' ) : __( 'The server is reachable, but TLS could not be verified from here.', 'smtpx' ), 'smtpx_connection' );
	}

	/**
	 * What the From domain's DNS tells receivers: critical for an error (a DKIM key not
	 * published or not the one that signs, SPF that does not allow the provider, missing
	 * or broken), recommended for a warning (no DMARC policy, no MX), good otherwise.
	 *
	 * @return array<string, mixed>
	 */
	public static function test_deliverability(): array {
		$report = Domain_Check::report();
		$by     = array(
			'error'   => array(),
			'warning' => array(),
		);
		foreach ( $report['findings'] as $finding ) {
			if ( isset( $by[ $finding['severity'] ] ) ) {
				$by[ $finding['severity'] ][] = $finding['message'] . ( empty( $finding['record'] ) ? '' : ' ' . __( 'Publish:', 'smtpx' ) . ' ' . $finding['record'] );
			}
		}
		$rest = $report['complete'] ? '' : ' ' . __( 'Checking SPF, DMARC and MX needs the smtpx extension.', 'smtpx' );
		if ( $by['error'] ) {
			/* translators: %s: domain. */
			return self::result( 'critical', sprintf( __( 'Receivers may refuse or junk mail from %s', 'smtpx' ), $report['domain'] ), implode( ' ', $by['error'] ) . $rest, 'smtpx_deliverability' );
		}
		if ( $by['warning'] || '' !== $report['error'] ) {
			/* translators: %s: domain. */
			return self::result( 'recommended', sprintf( __( 'The DNS of %s could tell receivers more', 'smtpx' ), $report['domain'] ), trim( implode( ' ', $by['warning'] ) . ' ' . $report['error'] ) . $rest, 'smtpx_deliverability' );
		}
		if ( ! $report['complete'] && ! $report['findings'] ) {
			/* translators: %s: domain. */
			return self::result( 'recommended', sprintf( __( 'smtpx cannot check the DNS of %s', 'smtpx' ), $report['domain'] ), trim( $rest ), 'smtpx_deliverability' );
		}
		$checked = $report['complete'] ? __( 'SPF allows the provider, and what DKIM and DMARC need is published.', 'smtpx' ) : __( 'The DKIM record is published with the signing key.', 'smtpx' );
		/* translators: %s: domain. */
		return self::result( 'good', sprintf( __( 'The DNS of %s vouches for its mail', 'smtpx' ), $report['domain'] ), $checked . $rest, 'smtpx_deliverability' );
	}

	/**
	 * The connection test's result for a connection that goes over an HTTPS API.
	 *
	 * @param array<string, mixed> $api   smtpx_probe()'s api: transport, url, reachable, seconds, tls, error.
	 * @param string               $error The probe's own failure, if it threw.
	 * @param string               $host  The API's host.
	 * @return array<string, mixed>
	 */
	private static function api_result( array $api, string $error, string $host ): array {
		if ( empty( $api['reachable'] ) ) {
			/* translators: 1: host, 2: what went wrong. */
			$text = sprintf( __( '%1$s cannot be reached over HTTPS from this server (%2$s). Check that outgoing connections to port 443 are allowed, and HTTPS_PROXY when the host needs a proxy.', 'smtpx' ), $host, '' !== $error ? $error : (string) ( $api['error'] ?? __( 'not measured', 'smtpx' ) ) );
			return self::result( 'critical', __( 'smtpx cannot reach the provider\'s HTTPS API', 'smtpx' ), $text, 'smtpx_connection' );
		}
		/* translators: 1: host, 2: TLS version. */
		$label = sprintf( __( 'smtpx reaches %1$s over HTTPS (%2$s, certificate verified)', 'smtpx' ), $host, (string) ( $api['tls'] ?? '' ) );
		return self::result( 'good', $label, __( 'The provider\'s API is reachable and its certificate is verified; "Send test email" under Settings > smtpx checks the API key.', 'smtpx' ), 'smtpx_connection' );
	}

	/**
	 * Whether mail went over an HTTPS API because SMTP could not be used (Https_Fallback).
	 *
	 * @return array<string, mixed>
	 */
	public static function test_https_fallback(): array {
		$last = Https_Fallback::last();
		if ( null === $last || $last['time'] < time() - WEEK_IN_SECONDS ) {
			$label = Settings::uses_api( 'primary' ) ? __( 'smtpx sends over the provider\'s HTTPS API, as configured', 'smtpx' ) : __( 'smtpx sends over SMTP', 'smtpx' );
			return self::result( 'good', $label, __( 'No mail had to go over an HTTPS API because SMTP was blocked.', 'smtpx' ), 'smtpx_https' );
		}
		/* translators: 1: how long ago, 2: host, 3: the API transport, e.g. brevo+api, 4: why SMTP failed. */
		$text = sprintf( __( 'Mail for %2$s went over the provider\'s HTTPS API (%3$s) %1$s ago because SMTP could not be used: %4$s. Mail still goes out; until a send over SMTP succeeds again, smtpx sends over HTTPS. This server\'s host probably blocks outgoing mail ports: the Ports panel under Settings > smtpx shows each one.', 'smtpx' ), human_time_diff( $last['time'] ), $last['host'], $last['transport'], '' !== $last['reason'] ? $last['reason'] : __( 'no SMTP port answered', 'smtpx' ) );
		return self::result( 'recommended', __( 'Mail went over HTTPS because SMTP was blocked', 'smtpx' ), $text, 'smtpx_https' );
	}

	/**
	 * Failed submissions of the last 24 hours.
	 *
	 * @return array<string, mixed>
	 */
	public static function test_recent_failures(): array {
		$failures = array_filter(
			Failure_Log::recent(),
			static function ( $failure ) {
				return (int) $failure['time'] > time() - DAY_IN_SECONDS;
			}
		);
		if ( ! $failures ) {
			return self::result( 'good', __( 'No mail failed to go out through smtpx in the last 24 hours', 'smtpx' ), __( 'Every recent submission was accepted.', 'smtpx' ), 'smtpx_failures' );
		}
		$last = reset( $failures );
		/* translators: 1: number of failures, 2: last server reply, 3: hint. */
		$text = sprintf( _n( '%1$d submission failed in the last 24 hours: %2$s %3$s', '%1$d submissions failed in the last 24 hours. The last: %2$s %3$s', count( $failures ), 'smtpx' ), count( $failures ), $last['message'], $last['hint'] );
		return self::result( 'critical', __( 'Mail recently failed to go out through smtpx', 'smtpx' ), $text, 'smtpx_failures' );
	}

	/**
	 * The outbox: mail waiting longer than the retries explain (WP-Cron not running, or
	 * a provider down for long), or held mail that needs a person.
	 *
	 * @return array<string, mixed>
	 */
	public static function test_queue(): array {
		$state = Outbox_Log::queue_state();
		if ( $state['stuck'] ) {
			/* translators: 1: number of messages, 2: how long the oldest has waited. */
			$text = sprintf( _n( '%1$s message is waiting, the oldest for %2$s. Check that WP-Cron runs (the smtpx_queue_run event, every minute) and that the connection works: send a test email under Settings > smtpx.', '%1$s messages are waiting, the oldest for %2$s. Check that WP-Cron runs (the smtpx_queue_run event, every minute) and that the connection works: send a test email under Settings > smtpx.', $state['waiting'], 'smtpx' ), number_format_i18n( $state['waiting'] ), human_time_diff( $state['oldest'] ) );
			return self::result( 'critical', __( 'Mail is stuck in the smtpx outbox', 'smtpx' ), $text, 'smtpx_queue', Log_Page::url( array( 'status' => Outbox::QUEUED ) ) );
		}
		if ( $state['held'] ) {
			/* translators: %s: number of messages. */
			$text = sprintf( _n( '%s message went out but no reply came, so it may have been delivered. Resend it from the email log if it was not.', '%s messages went out but no reply came, so they may have been delivered. Resend those that were not from the email log.', $state['held'], 'smtpx' ), number_format_i18n( $state['held'] ) );
			return self::result( 'recommended', __( 'Mail in the smtpx outbox needs a decision', 'smtpx' ), $text, 'smtpx_queue', Log_Page::url( array( 'status' => Outbox::HELD ) ) );
		}
		/* translators: %s: number of messages. */
		$text = $state['waiting'] ? sprintf( _n( '%s message is waiting for its next attempt.', '%s messages are waiting for their next attempt.', $state['waiting'], 'smtpx' ), number_format_i18n( $state['waiting'] ) ) : __( 'Nothing is waiting to be sent.', 'smtpx' );
		return self::result( 'good', __( 'The smtpx outbox is moving', 'smtpx' ), $text, 'smtpx_queue', Log_Page::url() );
	}

	/**
	 * A Site Health result.
	 *
	 * @param string $status      good, recommended or critical.
	 * @param string $label       The headline.
	 * @param string $description The explanation.
	 * @param string $test        The test id.
	 * @param string $link        Where to act (default: the settings page).
	 * @return array<string, mixed>
	 */
	private static function result( string $status, string $label, string $description, string $test, string $link = '' ): array {
		return array(
			'label'       => $label,
			'status'      => $status,
			'badge'       => array(
				'label' => __( 'Email', 'smtpx' ),
				'color' => 'good' === $status ? 'blue' : 'red',
			),
			'description' => '<p>' . esc_html( $description ) . '</p>',
			'actions'     => '' === $link
				? sprintf( '<p><a href="%s">%s</a></p>', esc_url( Settings_Page::url() ), esc_html__( 'smtpx settings', 'smtpx' ) )
				: sprintf( '<p><a href="%s">%s</a></p>', esc_url( $link ), esc_html__( 'Email log', 'smtpx' ) ),
			'test'        => $test,
		);
	}
}
