<?php
/**
 * A DNS server of the test's own for the deliverability tests: tests/peers/dns_server.py
 * on a free loopback UDP port, answering from a JSON zone the test writes (and may
 * rewrite: the server reads it on every query); ended when the test exits.
 */

namespace SmtpxTest;

/**
 * Starts the server with $zone (name => array( 'TXT' => [...], 'MX' => [[10, host]] )).
 *
 * @return array{nameserver: string, zone: string}
 */
function start_dns( array $zone ): array {
	$dir = state_dir() . '/dns-' . bin2hex( random_bytes( 4 ) );
	mkdir( $dir, 0700 );
	$file = "$dir/zone.json";
	set_zone( $file, $zone );
	$socket = stream_socket_server( 'udp://127.0.0.1:0', $errno, $error, STREAM_SERVER_BIND );
	$name   = stream_socket_get_name( $socket, false );
	fclose( $socket );
	$port    = (int) substr( $name, strrpos( $name, ':' ) + 1 );
	$script  = dirname( __DIR__, 2 ) . '/peers/dns_server.py';
	$process = proc_open( array( '/usr/bin/python3', $script, (string) $port, $file ), array( 1 => array( 'file', "$dir/dns.log", 'a' ), 2 => array( 'file', "$dir/dns.log", 'a' ) ), $pipes );
	register_shutdown_function(
		static function () use ( $process, $dir ) {
			proc_terminate( $process );
			proc_close( $process );
			array_map( 'unlink', glob( "$dir/*" ) );
			rmdir( $dir );
		}
	);
	$nameserver = "127.0.0.1:$port";
	// Ready when it answers (a name not in the zone: NXDOMAIN).
	for ( $try = 0; $try < 50; $try++ ) {
		$client = stream_socket_client( "udp://$nameserver" );
		stream_set_timeout( $client, 0, 100000 );
		fwrite( $client, "\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\x05ready\x00\x00\x10\x00\x01" );
		$answer = fread( $client, 512 );
		fclose( $client );
		if ( is_string( $answer ) && strlen( $answer ) >= 12 ) {
			break;
		}
		usleep( 100000 ); // Not bound yet: the query was refused at once.
	}
	return array(
		'nameserver' => $nameserver,
		'zone'       => $file,
	);
}

/** Writes the zone the server answers from. */
function set_zone( string $file, array $zone ): void {
	file_put_contents( $file, json_encode( $zone ? $zone : new \stdClass() ) ); // {} for an empty zone, not [].
}

/**
 * What dkimpy (Debian's python3-dkim, independent of smtpx and PHPMailer) says of
 * every DKIM-Signature of $raw, the keys asked of $nameserver: "d=... s=... a=... ok|FAIL" lines.
 */
function verify_dkim( string $raw, string $nameserver ): string {
	$file = state_dir() . '/dkim-' . bin2hex( random_bytes( 4 ) ) . '.eml';
	file_put_contents( $file, $raw );
	$script = dirname( __DIR__, 2 ) . '/phpt/dkim/verify_dkim.py';
	exec( '/usr/bin/python3 ' . escapeshellarg( $script ) . ' ' . escapeshellarg( $file ) . ' ' . escapeshellarg( "@$nameserver" ) . ' 2>&1', $lines );
	unlink( $file );
	return implode( "\n", $lines );
}
