<?php
/**
 * A stand-in for the smtpx extension while it is not built, for the WordPress tests
 * only (loaded with auto_prepend_file by tests/wp/run, never by the plugin). It offers
 * smtpx_send_raw() and the Smtpx exception classes with the extension's signatures,
 * submitting through PHPMailer's SMTP client: enough to test the plugin's side.
 */

namespace Smtpx {
	if ( ! class_exists( Exception::class, false ) ) {
		class Exception extends \RuntimeException {
			protected int $smtpCode = 0;
			protected ?string $enhancedStatus = null;
			protected string $phase = '';
			protected bool $transient = false;
			protected bool $outcomeUnknown = false;
			protected ?string $transcript = null;

			public function __construct( string $message, string $phase, string $reply = '' ) {
				parent::__construct( $message );
				$this->phase = $phase;
				if ( preg_match( '/^([2-5]\d\d)[ -](?:([245]\.\d{1,3}\.\d{1,3}) )?/', $reply, $m ) ) {
					$this->smtpCode       = (int) $m[1];
					$this->enhancedStatus = $m[2] ?? null ?: null;
				}
				$this->transient = 'connect' === $phase || ( $this->smtpCode >= 400 && $this->smtpCode < 500 );
			}
			public function getSmtpCode(): int { return $this->smtpCode; }
			public function getEnhancedStatus(): ?string { return $this->enhancedStatus; }
			public function getPhase(): string { return $this->phase; }
			public function isTransient(): bool { return $this->transient; }
			public function isOutcomeUnknown(): bool { return $this->outcomeUnknown; }
			public function getTranscript(): ?string { return $this->transcript; }
		}
		class ConnectException extends Exception {}
		class TlsException extends Exception {}
		class AuthException extends Exception {}
		class RejectedException extends Exception {}
		class ProtocolException extends Exception {}
		class TimeoutException extends Exception {}
	}
}

namespace {
	if ( ! function_exists( 'smtpx_probe' ) ) {
		// Only whether each port accepts a TCP connection; the real probe also speaks TLS and AUTH.
		function smtpx_probe( $transport = null ): array {
			$t      = is_array( $transport ) ? $transport : array();
			$report = array( 'host' => $t['host'] ?? 'localhost', 'recommended' => null, 'ports' => array() );
			foreach ( $t['ports'] ?? array( 587, 2525, '465/tls' ) as $choice ) {
				[ $port, $mode ] = array_pad( explode( '/', (string) $choice ), 2, '' );
				$choice          = array( 'port' => (int) $port, 'tls' => $mode ? $mode : ( in_array( (int) $port, array( 465, 2465 ), true ) ? 'tls' : 'starttls' ) );
				$started         = microtime( true );
				$socket          = @stream_socket_client( "tcp://{$report['host']}:$port", $errno, $error, 2 );
				$report['ports'][] = $choice + array(
					'connected'       => (bool) $socket,
					'connect_seconds' => microtime( true ) - $started,
					'tls_info'        => null,
					'auth'            => array(),
					'auth_succeeded'  => null,
					'usable'          => (bool) $socket,
					'failed_phase'    => $socket ? null : 'connect',
					'error'           => $socket ? null : $error,
				);
				$report['recommended'] = $report['recommended'] ?? ( $socket ? $choice : null );
			}
			return $report;
		}
	}

	if ( ! function_exists( 'smtpx_send_raw' ) ) {
		function smtpx_send_raw( string $from, array $recipients, string $mime, $transport = null ): array {
			require_once '/usr/share/wordpress/wp-includes/PHPMailer/SMTP.php';
			require_once '/usr/share/wordpress/wp-includes/PHPMailer/Exception.php';
			$t       = is_array( $transport ) ? $transport : array();
			$known   = array( 'host', 'port', 'ports', 'username', 'password', 'oauth_token', 'tls', 'tls_verify', 'cafile', 'timeout', 'helo', 'debug' );
			foreach ( array_diff( array_keys( $t ), $known ) as $unknown ) {
				throw new \ValueError( "smtpx_send_raw(): Argument #4 (\$transport) has an unknown key \"$unknown\"" );
			}
			$started = microtime( true );
			$host    = $t['host'] ?? 'localhost';
			$ports   = $t['ports'] ?? array( $t['port'] ?? 587 );
			$smtp    = new \PHPMailer\PHPMailer\SMTP();
			$smtp->Timeout = (int) ( $t['timeout'] ?? 10 );
			$context = array(
				'ssl' => array(
					'verify_peer'      => $t['tls_verify'] ?? true,
					'verify_peer_name' => $t['tls_verify'] ?? true,
					'peer_name'        => $host,
					'cafile'           => $t['cafile'] ?? null,
				),
			);
			$tls_required = 'none' !== ( $t['tls'] ?? 'required' );
			$last_error   = '';
			foreach ( $ports as $choice ) {
				[ $port, $mode ] = array_pad( explode( '/', (string) $choice ), 2, '' );
				$implicit        = 'tls' === $mode || in_array( (int) $port, array( 465, 2465 ), true );
				if ( $smtp->connect( ( $implicit ? 'ssl://' : '' ) . $host, (int) $port, 5, $context ) ) {
					break;
				}
				$last_error = $smtp->getError()['error'];
			}
			if ( ! $smtp->connected() ) {
				throw new \Smtpx\ConnectException( "could not connect to $host: $last_error", 'connect' );
			}
			$smtp->hello( $t['helo'] ?? 'localhost' );
			if ( $tls_required && ! $implicit ) {
				if ( ! $smtp->startTLS() ) {
					throw new \Smtpx\TlsException( 'STARTTLS failed: ' . $smtp->getError()['error'], 'tls', $smtp->getLastReply() );
				}
				$smtp->hello( $t['helo'] ?? 'localhost' );
			}
			if ( isset( $t['username'] ) && ( isset( $t['password'] ) || isset( $t['oauth_token'] ) ) ) {
				if ( ! $smtp->authenticate( $t['username'], $t['password'] ?? '', isset( $t['oauth_token'] ) ? 'XOAUTH2' : '' ) ) {
					$reply = trim( $smtp->getLastReply() );
					throw new \Smtpx\AuthException( "AUTH refused: $reply", 'auth', $reply );
				}
			}
			if ( ! $smtp->mail( $from ) ) {
				$reply = trim( $smtp->getLastReply() );
				throw new \Smtpx\RejectedException( "MAIL refused: $reply", 'mail', $reply );
			}
			$accepted = array();
			$rejected = array();
			foreach ( $recipients as $rcpt ) {
				if ( $smtp->recipient( $rcpt ) ) {
					$accepted[] = $rcpt;
				} else {
					$rejected[ $rcpt ] = trim( $smtp->getLastReply() );
				}
			}
			if ( ! $accepted ) {
				$reply = (string) reset( $rejected );
				throw new \Smtpx\RejectedException( "every recipient refused: $reply", 'rcpt', $reply );
			}
			if ( ! $smtp->data( $mime ) ) {
				$reply = trim( $smtp->getLastReply() );
				throw new \Smtpx\RejectedException( "DATA refused: $reply", 'data', $reply );
			}
			$reply = trim( $smtp->getLastReply() );
			$smtp->quit();
			return array(
				'message_id' => preg_match( '/^Message-ID:\s*(\S+)/mi', $mime, $m ) ? $m[1] : '',
				'accepted'   => $accepted,
				'rejected'   => $rejected,
				'reply'      => $reply,
				'host'       => $host,
				'port'       => (int) $port,
				'tls'        => $tls_required ? 'TLSv1.3' : null,
				'reused'     => false,
				'seconds'    => microtime( true ) - $started,
			);
		}
	}
}
