<?php
/**
 * TXT records for the DKIM check on hosts without the extension (which has its own
 * resolver): through the system resolver (dns_get_record()), or, when a nameserver is
 * set (SMTPX_DNS_NAMESERVER or the smtpx_dns_nameserver filter, "IP[:port]": split DNS,
 * tests), by asking that server directly (RFC 1035 over UDP, TCP when the answer is
 * truncated), because dns_get_record() cannot be pointed at a server.
 *
 * Answers null when the DNS did not answer, so "not published" is never claimed for
 * a lookup that failed.
 *
 * @package Smtpx
 */

namespace Smtpx\WordPress;

defined( 'ABSPATH' ) || exit;

/**
 * TXT lookups.
 */
final class Dns_Lookup {

	private const TYPE_TXT = 16;
	private const TIMEOUT  = 3;

	/**
	 * The nameserver to ask instead of the system resolver ("" for the system's), for
	 * this plugin and for smtpx_domain_check()'s nameserver option.
	 */
	public static function nameserver(): string {
		$nameserver = defined( 'SMTPX_DNS_NAMESERVER' ) ? (string) SMTPX_DNS_NAMESERVER : '';
		/**
		 * Filters the nameserver ("IP[:port]") DNS checks ask; "" for the system resolver.
		 *
		 * @param string $nameserver From SMTPX_DNS_NAMESERVER, or "".
		 */
		return trim( (string) apply_filters( 'smtpx_dns_nameserver', $nameserver ) );
	}

	/**
	 * The TXT records of a name, each with its strings joined (RFC 7208 3.3, RFC 6376 3.6.2.2).
	 *
	 * @param string $name A domain name.
	 * @return string[]|null The records ([] when there is none), or null when the DNS did not answer.
	 */
	public static function txt( string $name ): ?array {
		$nameserver = self::nameserver();
		if ( '' === $nameserver ) {
			$records = @dns_get_record( $name, DNS_TXT ); // phpcs:ignore Generic.PHP.NoSilencedErrors.Discouraged -- a failed lookup is a warning as well as false; false is the answer.
			return false === $records ? null : array_map(
				static function ( $record ) {
					return implode( '', (array) ( $record['entries'] ?? array( $record['txt'] ?? '' ) ) );
				},
				$records
			);
		}
		list( $host, $port ) = array_pad( explode( ':', $nameserver, 2 ), 2, '53' );
		$query               = self::query( $name );
		$answer              = self::exchange( "udp://$host:$port", $query, false );
		if ( null !== $answer && strlen( $answer ) > 3 && ( ord( $answer[2] ) & 0x02 ) ) {
			$answer = self::exchange( "tcp://$host:$port", $query, true ); // Truncated: RFC 7766.
		}
		return null === $answer ? null : self::parse_txt( $answer, substr( $query, 0, 2 ) );
	}

	/**
	 * A query for the TXT records of $name, recursion desired.
	 *
	 * @param string $name A domain name.
	 */
	private static function query( string $name ): string {
		$question = '';
		foreach ( explode( '.', rtrim( $name, '.' ) ) as $label ) {
			$question .= chr( strlen( $label ) ) . $label;
		}
		return random_bytes( 2 ) . pack( 'nnnnn', 0x0100, 1, 0, 0, 0 ) . $question . "\0" . pack( 'nn', self::TYPE_TXT, 1 );
	}

	/**
	 * Sends a query and reads the answer.
	 *
	 * @param string $address udp:// or tcp:// address.
	 * @param string $query   The query.
	 * @param bool   $framed  TCP: each message after its 2-byte length.
	 * @return string|null The answer, or null without one in time.
	 */
	private static function exchange( string $address, string $query, bool $framed ): ?string {
		$socket = @stream_socket_client( $address, $errno, $error, self::TIMEOUT ); // phpcs:ignore Generic.PHP.NoSilencedErrors.Discouraged -- the failure is the answer.
		if ( false === $socket ) {
			return null;
		}
		stream_set_timeout( $socket, self::TIMEOUT );
		fwrite( $socket, ( $framed ? pack( 'n', strlen( $query ) ) : '' ) . $query );
		if ( $framed ) {
			$length = unpack( 'n', (string) fread( $socket, 2 ) . "\0\0" )[1];
			$answer = '';
			while ( strlen( $answer ) < $length && ! feof( $socket ) && ! stream_get_meta_data( $socket )['timed_out'] ) {
				$answer .= (string) fread( $socket, $length - strlen( $answer ) );
			}
		} else {
			$answer = (string) fread( $socket, 65535 );
		}
		fclose( $socket );
		return strlen( $answer ) < 12 ? null : $answer;
	}

	/**
	 * The TXT records of an answer to our query.
	 *
	 * @param string $answer The answer.
	 * @param string $id     The query's id.
	 * @return string[]|null Null for another id, a server failure or a damaged answer.
	 */
	private static function parse_txt( string $answer, string $id ): ?array {
		$header = unpack( 'nid/nflags/nqd/nan', $answer );
		$rcode  = $header['flags'] & 0x0f;
		if ( substr( $answer, 0, 2 ) !== $id || ( 0 !== $rcode && 3 !== $rcode ) ) {
			return null;
		}
		if ( 3 === $rcode ) {
			return array(); // NXDOMAIN: no such name, so no record.
		}
		$offset = 12;
		for ( $i = 0; $i < $header['qd']; $i++ ) {
			$offset = self::skip_name( $answer, $offset ) + 4;
		}
		$records = array();
		for ( $i = 0; $i < $header['an'] && $offset + 10 <= strlen( $answer ); $i++ ) {
			$offset = self::skip_name( $answer, $offset );
			$fields = unpack( 'ntype/nclass/Nttl/nlength', substr( $answer, $offset, 10 ) );
			$offset += 10;
			$data    = substr( $answer, $offset, $fields['length'] );
			$offset += $fields['length'];
			if ( self::TYPE_TXT !== $fields['type'] ) {
				continue; // A CNAME on the way.
			}
			$text = '';
			for ( $at = 0; $at < strlen( $data ); $at += 1 + ord( $data[ $at ] ) ) {
				$text .= substr( $data, $at + 1, ord( $data[ $at ] ) );
			}
			$records[] = $text;
		}
		return $records;
	}

	/**
	 * The offset after a name (labels, or a compression pointer: RFC 1035 4.1.4).
	 *
	 * @param string $packet The message.
	 * @param int    $offset Where the name starts.
	 */
	private static function skip_name( string $packet, int $offset ): int {
		while ( $offset < strlen( $packet ) ) {
			$length = ord( $packet[ $offset ] );
			if ( 0 === $length ) {
				return $offset + 1;
			}
			if ( 0xc0 === ( $length & 0xc0 ) ) {
				return $offset + 2;
			}
			$offset += 1 + $length;
		}
		return $offset;
	}
}
