<?php
/**
 * The log keeps sent mail compactly: once a message is delivered, each attachment
 * larger than the limit (100 KB; the smtpx_log_attachment_limit filter) is kept as
 * its name, size and SHA-256 only, unless the owner keeps them all
 * (smtpx_log_keep_attachments). Queued, failed and held mail keeps every byte: it may
 * still have to be sent. A message stripped so cannot be resent.
 *
 * @package Smtpx
 */

namespace Smtpx\WordPress;

defined( 'ABSPATH' ) || exit;

/**
 * Strips large attachments from a stored message.
 */
final class Stored_Attachments {

	/**
	 * Marks a part whose body was not kept: "bytes=N; sha256=HEX".
	 */
	public const HEADER = 'X-Smtpx-Removed';

	/**
	 * The message to keep after delivery.
	 *
	 * @param string $mime The message as sent (CRLF line ends).
	 * @return array{0: string, 1: int} The message to store, and how many attachments it lost.
	 */
	public static function for_log( string $mime ): array {
		/**
		 * Filters whether sent mail keeps its attachments in the log.
		 *
		 * @param bool $keep Default false.
		 */
		$keep = (bool) apply_filters( 'smtpx_log_keep_attachments', false );
		/**
		 * Filters the size above which a sent message's attachment is kept as name, size and hash.
		 *
		 * @param int $bytes Default 100 KB.
		 */
		$limit = (int) apply_filters( 'smtpx_log_attachment_limit', 100 * KB_IN_BYTES );
		if ( $keep || strlen( $mime ) <= $limit ) {
			return array( $mime, 0 );
		}
		$removed = 0;
		$kept    = self::strip( str_replace( "\r\n", "\n", $mime ), $limit, $removed, 0 );
		return array( $removed ? str_replace( "\n", "\r\n", $kept ) : $mime, $removed );
	}

	/**
	 * One part with its large attachments stripped; multiparts part by part, their
	 * delimiters and preamble untouched.
	 *
	 * @param string $part    Header, empty line, body (LF line ends).
	 * @param int    $limit   Bytes of body above which an attachment goes.
	 * @param int    $removed Counts the attachments stripped.
	 * @param int    $depth   How deep in multiparts (bounded).
	 */
	private static function strip( string $part, int $limit, int &$removed, int $depth ): string {
		$end = strpos( $part, "\n\n" );
		if ( false === $end ) {
			return $part;
		}
		$head_text = substr( $part, 0, $end );
		$body      = substr( $part, $end + 2 );
		$head      = Message_View::split( $head_text )[0];
		$type      = Message_View::field( $head, 'Content-Type' );
		if ( str_starts_with( strtolower( ltrim( $type ) ), 'multipart/' ) && $depth < 10 ) {
			$delimiter = "\n--" . Message_View::parameter( $type, 'boundary' );
			// A line end before the body, so the first delimiter splits like the others.
			$sections = explode( $delimiter, "\n" . $body );
			foreach ( $sections as $i => $section ) {
				$line_end = strpos( $section, "\n" );
				if ( 0 === $i || str_starts_with( $section, '--' ) || false === $line_end ) {
					continue; // The preamble, the closing delimiter and epilogue.
				}
				$sections[ $i ] = substr( $section, 0, $line_end + 1 ) . self::strip( substr( $section, $line_end + 1 ), $limit, $removed, $depth + 1 );
			}
			return $head_text . "\n\n" . substr( implode( $delimiter, $sections ), 1 );
		}
		if ( ! Message_View::is_attachment( $head ) || strlen( $body ) <= $limit ) {
			return $part;
		}
		$content = Message_View::decode_body( $body, strtolower( Message_View::field( $head, 'Content-Transfer-Encoding' ) ) );
		++$removed;
		return $head_text . "\n" . self::HEADER . ': bytes=' . strlen( $content ) . '; sha256=' . hash( 'sha256', $content ) . "\n\n";
	}
}
