<?php
/**
 * The plugin's requests to an authorization server: a form POST (RFC 6749 4.1.3, 6;
 * RFC 7009 2.1) over wp_remote_post, TLS verified (against SMTPX_CAFILE when a host
 * names its own CA, WordPress's bundle otherwise), https only, no redirects, the
 * client's credentials in the body as Google and Microsoft expect them. Used for the
 * code exchange, the refresh on hosts without the extension, revocation, and the
 * OpenID Connect userinfo endpoint (the connected account's address).
 *
 * What comes back is read as RFC 6749 5.2 says: an "error" code, which decides what
 * the caller tells the admin; the provider's description is kept for the message.
 *
 * @package Smtpx
 */

namespace Smtpx\WordPress;

defined( 'ABSPATH' ) || exit;

/**
 * One form POST to a token or revocation endpoint.
 */
final class Oauth_Token_Endpoint {

	private const TIMEOUT = 15;

	/**
	 * Posts a form and reads the JSON answer.
	 *
	 * @param string                $url    The endpoint (https://).
	 * @param array<string, string> $fields The form.
	 * @return array{status: int, body: array<string, mixed>, error: string} status 0 when no
	 *         answer came (error says why); error is the OAuth error code otherwise ("" on success).
	 */
	public static function post( string $url, array $fields ): array {
		if ( 'https' !== strtolower( (string) wp_parse_url( $url, PHP_URL_SCHEME ) ) ) {
			return array(
				'status' => 0,
				'body'   => array(),
				/* translators: %s: URL. */
				'error'  => sprintf( __( 'the endpoint %s is not https://, and the client secret never travels in clear text', 'smtpx' ), $url ),
			);
		}
		$args         = self::request_args( array() );
		$args['body'] = $fields;
		return self::answer( wp_remote_post( $url, $args ) );
	}

	/**
	 * Asks the OpenID Connect userinfo endpoint (Core 5.3) for the account's address.
	 *
	 * @param string $url          The userinfo endpoint (https://).
	 * @param string $access_token The access token of the code exchange.
	 * @return string The email claim, "" when there is none.
	 */
	public static function userinfo_email( string $url, string $access_token ): string {
		if ( 'https' !== strtolower( (string) wp_parse_url( $url, PHP_URL_SCHEME ) ) ) {
			return '';
		}
		$answer = self::answer( wp_remote_get( $url, self::request_args( array( 'Authorization' => 'Bearer ' . $access_token ) ) ) );
		$email  = $answer['body']['email'] ?? '';
		return '' === $answer['error'] && is_string( $email ) && is_email( $email ) ? $email : '';
	}

	/**
	 * wp_remote_*()'s arguments: TLS verified, no redirects, JSON wanted.
	 *
	 * @param array<string, string> $headers More request headers.
	 * @return array<string, mixed>
	 */
	private static function request_args( array $headers ): array {
		$args = array(
			'timeout'     => self::TIMEOUT,
			'redirection' => 0,
			'sslverify'   => true,
			'headers'     => array_merge( array( 'Accept' => 'application/json' ), $headers ),
		);
		if ( defined( 'SMTPX_CAFILE' ) ) {
			$args['sslcertificates'] = (string) SMTPX_CAFILE;
		}
		return $args;
	}

	/**
	 * Reads an answer.
	 *
	 * @param array<string, mixed>|\WP_Error $response From wp_remote_*().
	 * @return array{status: int, body: array<string, mixed>, error: string}
	 */
	private static function answer( $response ): array {
		if ( is_wp_error( $response ) ) {
			return array(
				'status' => 0,
				'body'   => array(),
				'error'  => $response->get_error_message(),
			);
		}
		$status = (int) wp_remote_retrieve_response_code( $response );
		$body   = json_decode( (string) wp_remote_retrieve_body( $response ), true );
		$body   = is_array( $body ) ? $body : array();
		$error  = '';
		if ( $status < 200 || $status > 299 ) {
			$error = is_string( $body['error'] ?? null ) ? $body['error'] : 'http_' . $status;
		}
		return array(
			'status' => $status,
			'body'   => $body,
			'error'  => $error,
		);
	}

	/**
	 * What an answer says, for people: the error code and the provider's description.
	 *
	 * @param array{status: int, body: array<string, mixed>, error: string} $answer From post().
	 */
	public static function describe( array $answer ): string {
		$description = is_string( $answer['body']['error_description'] ?? null ) ? $answer['body']['error_description'] : '';
		$text        = 0 === $answer['status'] ? $answer['error'] : sprintf( 'HTTP %d %s', $answer['status'], $answer['error'] );
		return '' === $description ? $text : $text . ': ' . mb_substr( $description, 0, 300 );
	}
}
