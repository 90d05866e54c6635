<?php
/**
 * A stored message taken apart for the log screen: its header fields (encoded words
 * decoded), the first text and HTML parts, and the attachments' names, types and sizes.
 * Only for display: what was sent is the stored message itself.
 *
 * @package Smtpx
 */

namespace Smtpx\WordPress;

defined( 'ABSPATH' ) || exit;

/**
 * A small MIME reader (RFC 2045, 2046, 2047).
 */
final class Message_View {

	/**
	 * Takes a message apart.
	 *
	 * @param string $mime The whole message.
	 * @return array{headers: array<int, array{0: string, 1: string}>, text: string, html: string, attachments: array<int, array{name: string, type: string, bytes: int, removed: bool}>}
	 */
	public static function parse( string $mime ): array {
		$view = array(
			'headers'     => array(),
			'text'        => '',
			'html'        => '',
			'attachments' => array(),
		);
		list( $head, $body ) = self::split( str_replace( "\r\n", "\n", $mime ) );
		$view['headers']     = $head;
		self::walk( $head, $body, $view );
		return $view;
	}

	/**
	 * One part: its header fields and body.
	 *
	 * @param string $part Header, empty line, body (LF line ends).
	 * @return array{0: array<int, array{0: string, 1: string}>, 1: string}
	 */
	public static function split( string $part ): array {
		list( $head, $body ) = array_pad( explode( "\n\n", $part, 2 ), 2, '' );
		$fields              = array();
		foreach ( explode( "\n", (string) preg_replace( "/\n[ \t]+/", ' ', $head ) ) as $line ) {
			$colon = strpos( $line, ':' );
			if ( false !== $colon ) {
				$fields[] = array( trim( substr( $line, 0, $colon ) ), self::decode_words( trim( substr( $line, $colon + 1 ) ) ) );
			}
		}
		return array( $fields, $body );
	}

	/**
	 * Adds a part's text, HTML or attachment to the view; multiparts recursively.
	 *
	 * @param array<int, array{0: string, 1: string}> $head  The part's header fields.
	 * @param string                                  $body  Its body.
	 * @param array<string, mixed>                    $view  The view being built.
	 * @param int                                     $depth How deep in multiparts (bounded).
	 */
	private static function walk( array $head, string $body, array &$view, int $depth = 0 ): void {
		$type  = self::field( $head, 'Content-Type' );
		$media = strtolower( trim( strtok( '' === $type ? 'text/plain' : $type, ';' ) ) );
		$name  = self::parameter( self::field( $head, 'Content-Disposition' ), 'filename' );
		$name  = '' === $name ? self::parameter( $type, 'name' ) : $name;

		if ( str_starts_with( $media, 'multipart/' ) && $depth < 10 ) {
			$boundary = self::parameter( $type, 'boundary' );
			if ( '' === $boundary ) {
				return;
			}
			$sections = explode( "\n--" . $boundary, "\n" . $body );
			array_shift( $sections ); // The preamble.
			foreach ( $sections as $section ) {
				if ( str_starts_with( $section, '--' ) ) {
					break; // The closing delimiter.
				}
				list( $part_head, $part_body ) = self::split( (string) preg_replace( '/^[ \t]*\n/', '', $section ) );
				self::walk( $part_head, $part_body, $view, $depth + 1 );
			}
			return;
		}

		$content = self::decode_body( $body, strtolower( self::field( $head, 'Content-Transfer-Encoding' ) ) );
		if ( self::is_attachment( $head ) ) {
			// A large attachment of a sent message is kept as its size and hash only (Stored_Attachments).
			$removed               = self::field( $head, Stored_Attachments::HEADER );
			$view['attachments'][] = array(
				'name'    => '' === $name ? __( '(no name)', 'smtpx' ) : $name,
				'type'    => $media,
				'bytes'   => '' === $removed ? strlen( $content ) : (int) self::parameter( ';' . $removed, 'bytes' ),
				'removed' => '' !== $removed,
			);
			return;
		}
		$content = self::to_utf8( $content, self::parameter( $type, 'charset' ) );
		if ( 'text/html' === $media && '' === $view['html'] ) {
			$view['html'] = $content;
		} elseif ( 'text/plain' === $media && '' === $view['text'] ) {
			$view['text'] = $content;
		}
	}

	/**
	 * Whether a part is an attachment (or an inline file such as an image): it has a file name.
	 *
	 * @param array<int, array{0: string, 1: string}> $head The part's header fields.
	 */
	public static function is_attachment( array $head ): bool {
		$disposition = self::field( $head, 'Content-Disposition' );
		return str_starts_with( strtolower( $disposition ), 'attachment' )
			|| '' !== self::parameter( $disposition, 'filename' )
			|| '' !== self::parameter( self::field( $head, 'Content-Type' ), 'name' );
	}

	/**
	 * A body without its transfer encoding.
	 *
	 * @param string $body     As stored.
	 * @param string $encoding base64, quoted-printable, 7bit, 8bit, binary.
	 */
	public static function decode_body( string $body, string $encoding ): string {
		if ( 'base64' === $encoding ) {
			// phpcs:ignore Generic.PHP.ForbiddenFunctions.Found -- undoing the transfer encoding to show the part.
			return (string) base64_decode( preg_replace( '/\s+/', '', $body ) );
		}
		if ( 'quoted-printable' === $encoding ) {
			return quoted_printable_decode( $body );
		}
		return $body;
	}

	/**
	 * Text in UTF-8; in an unknown charset, the bytes as they are.
	 *
	 * @param string $content The decoded body.
	 * @param string $charset Its charset parameter.
	 */
	private static function to_utf8( string $content, string $charset ): string {
		if ( '' === $charset || 'utf-8' === strtolower( $charset ) || ! function_exists( 'mb_convert_encoding' ) ) {
			return $content;
		}
		try {
			return (string) mb_convert_encoding( $content, 'UTF-8', $charset );
		} catch ( \ValueError ) {
			return $content;
		}
	}

	/**
	 * The first value of a header field, "" when absent.
	 *
	 * @param array<int, array{0: string, 1: string}> $head The header fields.
	 * @param string                                  $name The field's name.
	 */
	public static function field( array $head, string $name ): string {
		foreach ( $head as list( $field, $value ) ) {
			if ( 0 === strcasecmp( $field, $name ) ) {
				return $value;
			}
		}
		return '';
	}

	/**
	 * A parameter of a structured field (Content-Type: ...; boundary="x").
	 *
	 * @param string $value The field's value.
	 * @param string $name  The parameter.
	 */
	public static function parameter( string $value, string $name ): string {
		if ( preg_match( '/;\s*' . preg_quote( $name, '/' ) . '\s*=\s*(?:"([^"]*)"|([^\s;]+))/i', $value, $match ) ) {
			return '' !== $match[1] ? $match[1] : $match[2];
		}
		return '';
	}

	/**
	 * Decodes RFC 2047 encoded words.
	 *
	 * @param string $value A header field's value.
	 */
	private static function decode_words( string $value ): string {
		if ( ! str_contains( $value, '=?' ) || ! function_exists( 'iconv_mime_decode' ) ) {
			return $value;
		}
		$decoded = iconv_mime_decode( $value, ICONV_MIME_DECODE_CONTINUE_ON_ERROR, 'UTF-8' );
		return false === $decoded ? $value : $decoded;
	}
}
