<?php
/**
 * Submission on hosts without the extension: PHPMailer's own SMTP client, bundled
 * with WordPress, given the transport the extension would get (the same presets,
 * constants and fallback). Each port of the plan is tried in turn with a short
 * connect timeout (the extension races them instead); TLS is verified and required
 * before AUTH unless the connection says tls none. OAuth (an access token, or a refresh
 * token as the extension takes it) goes by XOAUTH2 through Oauth_Token_Provider.
 *
 * Its failures are Smtp_Failure, read conservatively: a 4xx reply or no port reachable
 * is transient; a 5xx reply or a TLS failure is permanent; a connection lost before the
 * data is transient; no final reply after the data is an unknown outcome (held, never
 * retried automatically).
 *
 * @package Smtpx
 */

namespace Smtpx\WordPress;

use PHPMailer\PHPMailer\SMTP;

defined( 'ABSPATH' ) || exit;

/**
 * smtpx_send_raw() through PHPMailer's SMTP client.
 */
final class Phpmailer_Submission {

	private const CONNECT_TIMEOUT = 5;
	private const REPLY_TIMEOUT   = 30;

	/**
	 * Submits $mime; the same result as smtpx_send_raw() (without pooling: one connection per message).
	 *
	 * @param string                      $from       Envelope sender.
	 * @param string[]                    $recipients Envelope recipients.
	 * @param string                      $mime       The whole message.
	 * @param array<string, mixed>|string $transport  The transport array, or a DSN.
	 * @return array<string, mixed>
	 * @throws Smtp_Failure When the message was not submitted.
	 */
	public static function send_raw( string $from, array $recipients, string $mime, $transport ): array {
		require_once ABSPATH . WPINC . '/PHPMailer/SMTP.php';
		$started   = microtime( true );
		$transport = is_string( $transport ) ? self::parse_dsn( $transport ) : $transport;
		if ( isset( $transport['api'] ) ) {
			// Transient: the outbox keeps the mail (and the fallback connection may take it) until the extension is there.
			throw new Smtp_Failure( __( 'this connection sends over the provider\'s HTTPS API, which needs the smtpx extension: ask your host to install it, or choose "Send over: SMTP" under Settings > smtpx', 'smtpx' ), 'connect', '', true );
		}
		$host      = (string) ( $transport['host'] ?? '' );
		$smtp      = new SMTP();
		$smtp->setTimeout( self::REPLY_TIMEOUT );
		$smtp->Timelimit = self::REPLY_TIMEOUT;

		$port   = self::connect( $smtp, $transport );
		$helo   = (string) ( $transport['helo'] ?? wp_parse_url( home_url(), PHP_URL_HOST ) );
		$secure = 'starttls' !== $port['tls'];
		try {
			self::expect( $smtp->hello( $helo ), $smtp, 'ehlo' );
			if ( 'starttls' === $port['tls'] ) {
				if ( ! $smtp->startTLS() ) {
					self::fail( $smtp, 'tls', __( 'STARTTLS failed or the certificate was not verified', 'smtpx' ) );
				}
				$secure = true;
				self::expect( $smtp->hello( $helo ), $smtp, 'ehlo' );
			}
			$oauth = self::authenticate( $smtp, $transport, $secure || 'none' === $port['tls'] );
			self::expect( $smtp->mail( $from ), $smtp, 'mail' );
			$accepted = array();
			$rejected = array();
			foreach ( $recipients as $recipient ) {
				if ( $smtp->recipient( $recipient ) ) {
					$accepted[] = $recipient;
				} else {
					$rejected[ $recipient ] = trim( $smtp->getLastReply() );
				}
			}
			if ( ! $accepted ) {
				$transient = array() === array_filter(
					$rejected,
					static function ( $reply ) {
						return '4' !== substr( $reply, 0, 1 );
					}
				);
				throw new Smtp_Failure( 'every recipient was refused: ' . implode( '; ', $rejected ), 'rcpt', (string) reset( $rejected ), $transient );
			}
			if ( ! $smtp->data( $mime ) ) {
				$past_data = str_contains( (string) $smtp->getError()['error'], 'DATA END' );
				$reply     = trim( $smtp->getLastReply() );
				if ( $past_data && ! preg_match( '/^[45]\d\d/', $reply ) ) {
					throw new Smtp_Failure( __( 'the message was sent but no reply came: it may have been delivered', 'smtpx' ), 'data', '', false, true );
				}
				self::fail( $smtp, 'data', __( 'the message was refused', 'smtpx' ) );
			}
			$reply = trim( $smtp->getLastReply() );
			$smtp->quit();
		} finally {
			$smtp->close();
		}
		$result = array(
			'message_id' => preg_match( '/^Message-ID:\s*(\S+)/mi', $mime, $match ) ? $match[1] : '',
			'accepted'   => $accepted,
			'rejected'   => $rejected,
			'reply'      => $reply,
			'host'       => $host,
			'port'       => $port['port'],
			'tls'        => $secure && 'none' !== $port['tls'] ? 'TLS' : null,
			'reused'     => false,
			'seconds'    => microtime( true ) - $started,
		);
		if ( $oauth && '' !== $oauth->rotated_refresh_token() ) {
			$result['oauth_refresh_token'] = $oauth->rotated_refresh_token(); // As the extension hands it back.
		}
		return $result;
	}

	/**
	 * Connects to the first port of the plan that answers.
	 *
	 * @param SMTP                 $smtp      The client.
	 * @param array<string, mixed> $transport The transport.
	 * @return array{port: int, tls: string} The port and its TLS mode: tls (implicit), starttls or none.
	 * @throws Smtp_Failure When no port answers (transient: hosts and providers come back).
	 */
	private static function connect( SMTP $smtp, array $transport ): array {
		$host    = (string) ( $transport['host'] ?? '' );
		$verify  = (bool) ( $transport['tls_verify'] ?? true );
		$context = array(
			'ssl' => array_filter(
				array(
					'verify_peer'       => $verify,
					'verify_peer_name'  => $verify,
					'allow_self_signed' => false,
					'peer_name'         => $host,
					'cafile'            => $transport['cafile'] ?? null,
				),
				static function ( $value ) {
					return null !== $value;
				}
			),
		);
		$errors  = array();
		foreach ( self::plan( $transport ) as $port ) {
			$address = ( 'tls' === $port['tls'] ? 'ssl://' : '' ) . $host;
			if ( $smtp->connect( $address, $port['port'], self::CONNECT_TIMEOUT, $context ) ) {
				return $port;
			}
			$errors[] = $port['port'] . ': ' . $smtp->getError()['error'];
		}
		/* translators: 1: host, 2: what each port answered. */
		throw new Smtp_Failure( sprintf( __( 'could not connect to %1$s (%2$s); the host may block these ports', 'smtpx' ), $host, implode( '; ', $errors ) ), 'connect', '', true );
	}

	/**
	 * The ports to try, in order, each with its TLS mode.
	 *
	 * @param array<string, mixed> $transport The transport.
	 * @return array<int, array{port: int, tls: string}>
	 */
	private static function plan( array $transport ): array {
		$ports = $transport['ports'] ?? array( $transport['port'] ?? 587 );
		$plan  = array();
		foreach ( (array) $ports as $choice ) {
			list( $port, $mode ) = array_pad( explode( '/', (string) $choice ), 2, '' );
			if ( '' === $mode ) {
				$mode = in_array( (int) $port, array( 465, 2465 ), true ) ? 'tls' : 'starttls';
			}
			if ( 'none' === ( $transport['tls'] ?? 'required' ) ) {
				$mode = 'none';
			}
			$plan[] = array(
				'port' => (int) $port,
				'tls'  => $mode,
			);
		}
		return $plan;
	}

	/**
	 * AUTH when the transport has credentials, never before TLS (unless tls none): a
	 * password, an access token (oauth_token) or a refresh token (oauth) by XOAUTH2.
	 *
	 * @param SMTP                 $smtp      The client, after EHLO.
	 * @param array<string, mixed> $transport The transport.
	 * @param bool                 $may_send  Whether credentials may cross this connection.
	 * @return Oauth_Token_Provider|null The OAuth token's provider, when OAuth was used.
	 * @throws Smtp_Failure When the server refuses them, or no access token can be had.
	 */
	private static function authenticate( SMTP $smtp, array $transport, bool $may_send ): ?Oauth_Token_Provider {
		$oauth_settings = is_array( $transport['oauth'] ?? null ) ? $transport['oauth'] : null;
		if ( ! isset( $transport['username'] ) || ! ( isset( $transport['password'] ) || isset( $transport['oauth_token'] ) || $oauth_settings ) ) {
			return null;
		}
		if ( ! $may_send ) {
			throw new Smtp_Failure( __( 'the server offered no TLS, so the credentials were not sent', 'smtpx' ), 'tls', '', false );
		}
		$oauth = null;
		if ( $oauth_settings || isset( $transport['oauth_token'] ) ) {
			$oauth = new Oauth_Token_Provider( (string) $transport['username'], $oauth_settings, (string) ( $transport['oauth_token'] ?? '' ) );
			$oauth->access_token(); // A refused grant fails here, before AUTH is sent.
		}
		$authenticated = $smtp->authenticate( (string) $transport['username'], (string) ( $transport['password'] ?? '' ), $oauth ? 'XOAUTH2' : null, $oauth );
		if ( ! $authenticated && $oauth ) {
			$oauth->forget_refused();
		}
		self::expect( $authenticated, $smtp, 'auth' );
		return $oauth;
	}

	/**
	 * Throws the failure of a step that returned false.
	 *
	 * @param bool   $succeeded What the step returned.
	 * @param SMTP   $smtp      The client.
	 * @param string $phase     The step.
	 * @throws Smtp_Failure When it failed.
	 */
	private static function expect( bool $succeeded, SMTP $smtp, string $phase ): void {
		if ( ! $succeeded ) {
			self::fail( $smtp, $phase, __( 'the server refused', 'smtpx' ) );
		}
	}

	/**
	 * Throws what the server said: transient for a 4xx reply or a connection lost
	 * before the data, permanent otherwise.
	 *
	 * @param SMTP   $smtp  The client.
	 * @param string $phase The step.
	 * @param string $what  What failed, for people.
	 * @throws Smtp_Failure Always.
	 */
	private static function fail( SMTP $smtp, string $phase, string $what ): void {
		$reply     = trim( $smtp->getLastReply() );
		$no_reply  = ! preg_match( '/^[45]\d\d/', $reply ); // A 2xx/3xx is an earlier step's (STARTTLS' 220).
		$transient = '4' === substr( $reply, 0, 1 ) || ( $no_reply && 'tls' !== $phase );
		$detail    = $no_reply ? (string) $smtp->getError()['error'] : $reply;
		throw new Smtp_Failure( "$what: $detail", $phase, $no_reply ? '' : $reply, $transient );
	}

	/**
	 * The transport array of a DSN (smtp://, smtps://, smtp+plain://; user and password URL-encoded).
	 *
	 * @param string $dsn The DSN.
	 * @return array<string, mixed>
	 * @throws Smtp_Failure For a scheme PHPMailer cannot speak (the extension's HTTPS APIs, sendgrid+api://).
	 */
	private static function parse_dsn( string $dsn ): array {
		$parts  = wp_parse_url( $dsn );
		$scheme = strtolower( (string) ( $parts['scheme'] ?? 'smtp' ) );
		if ( ! in_array( $scheme, array( 'smtp', 'smtps', 'smtp+plain' ), true ) ) {
			/* translators: %s: URL scheme such as sendgrid+api. */
			throw new Smtp_Failure( sprintf( __( 'the %s:// transport needs the smtpx extension; without it only smtp://, smtps:// and smtp+plain:// work', 'smtpx' ), $scheme ), 'input', '', false );
		}
		$transport = array( 'host' => (string) ( $parts['host'] ?? '' ) );
		if ( isset( $parts['port'] ) ) {
			$transport['ports'] = array( $parts['port'] . ( 'smtps' === $scheme ? '/tls' : '' ) );
		} elseif ( 'smtps' === $scheme ) {
			$transport['ports'] = array( '465/tls' );
		}
		if ( 'smtp+plain' === $scheme ) {
			$transport['tls'] = 'none';
		}
		if ( isset( $parts['user'] ) ) {
			$transport['username'] = rawurldecode( $parts['user'] );
			$transport['password'] = rawurldecode( (string) ( $parts['pass'] ?? '' ) );
		}
		wp_parse_str( (string) ( $parts['query'] ?? '' ), $query );
		foreach ( array( 'cafile', 'helo' ) as $key ) {
			if ( isset( $query[ $key ] ) ) {
				$transport[ $key ] = (string) $query[ $key ];
			}
		}
		if ( isset( $query['tls_verify'] ) ) {
			$transport['tls_verify'] = ! in_array( strtolower( (string) $query['tls_verify'] ), array( '0', 'false', 'no' ), true );
		}
		if ( ! isset( $transport['cafile'] ) && defined( 'SMTPX_CAFILE' ) ) {
			$transport['cafile'] = (string) SMTPX_CAFILE;
		}
		return $transport;
	}
}
