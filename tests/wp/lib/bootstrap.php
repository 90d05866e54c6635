<?php
/**
 * Loads WordPress for a test file and offers the assertions and mail helpers.
 * Before requiring it a test may define constants (as wp-config.php would), set
 * $smtpx_plugin_active = false to load WordPress without the plugin, or
 * $smtpx_multisite = true to load the multisite network instead of the single site.
 */

namespace SmtpxTest;

$_SERVER['HTTP_HOST']   = '127.0.0.1:' . ( getenv( 'SMTPX_WP_PORT' ) ?: '18080' );
$_SERVER['REQUEST_URI'] = '/';
$_SERVER['SERVER_NAME'] = '127.0.0.1';
if ( ! empty( $smtpx_multisite ) ) {
	// The network of tests/wp/lib/install-multisite.php.
	$_SERVER['WORDPRESS_CONFIG'] = getenv( 'SMTPX_WP_MS_CONFIG' );
	$_SERVER['HTTP_HOST']        = 'ms.smtpx.test';
	$_SERVER['SERVER_NAME']      = 'ms.smtpx.test';
}

if ( isset( $smtpx_plugin_active ) && ! $smtpx_plugin_active ) {
	// Filters may be registered before WordPress loads, in this shape (WP_Hook::build_preinitialized_hooks()).
	$GLOBALS['wp_filter']['option_active_plugins'][10][] = array(
		'function'      => static function ( $plugins ) {
			return array_values( array_diff( (array) $plugins, array( 'smtpx/smtpx.php' ) ) );
		},
		'accepted_args' => 1,
	);
}
// The site runs on 127.0.0.1, so WordPress's default sender would be wordpress@127.0.0.1,
// which Postfix refuses (501 5.1.7); a site on a real domain has wordpress@domain.
// Changed last, in phpmailer_init, so the wp_mail_from filters still see core's default.
$GLOBALS['wp_filter']['phpmailer_init'][ PHP_INT_MAX ][] = array(
	'function'      => static function ( $phpmailer ) {
		if ( 'wordpress@127.0.0.1' === $phpmailer->From ) {
			$phpmailer->From = 'wordpress@smtpx.test';
		}
	},
	'accepted_args' => 1,
);
require '/usr/share/wordpress/wp-load.php';

/** The directory of the test peers (Postfix, CA, maildir). */
function peers_dir(): string {
	return getenv( 'SMTPX_PEERS_DIR' ) ?: '/tmp/smtpx-peers';
}

/** The harness state directory. */
function state_dir(): string {
	return getenv( 'SMTPX_WP_DIR' ) ?: '/tmp/smtpx-wp';
}

/** Prints "ok N - name" or "not ok N - name" with a diagnostic. */
function ok( bool $pass, string $name, string $diagnostic = '' ): bool {
	static $n = 0;
	++$n;
	echo ( $pass ? 'ok' : 'not ok' ) . " $n - $name\n";
	if ( ! $pass && '' !== $diagnostic ) {
		echo preg_replace( '/^/m', '#   ', rtrim( $diagnostic ) ) . "\n";
	}
	return $pass;
}

/** ok() for equality, showing both values when they differ. */
function is( $got, $expected, string $name ): bool {
	return ok( $got === $expected, $name, 'expected: ' . var_export( $expected, true ) . "\n     got: " . var_export( $got, true ) );
}

/**
 * Makes the plugin use a connection for this process only (the database is not touched).
 *
 * @param array $primary  Connection fields; "password" in plain text.
 * @param array $fallback Connection fields of the fallback, or none.
 * @param array $extra    from_email, from_name, force_from.
 */
function use_connection( array $primary, array $fallback = array(), array $extra = array() ): void {
	$seal = static function ( array $fields ) {
		foreach ( \Smtpx\WordPress\Settings::SECRET_FIELDS as $secret ) {
			if ( isset( $fields[ $secret ] ) ) {
				$fields[ $secret ] = \Smtpx\WordPress\Secret_Box::seal( $fields[ $secret ], \Smtpx\WordPress\Settings::secret_binding( $fields ) );
			}
		}
		return $fields;
	};
	$settings = array_merge(
		array(
			'primary'  => $seal( $primary ),
			'fallback' => $seal( $fallback ),
		),
		$extra
	);
	remove_all_filters( 'pre_option_smtpx_settings' );
	add_filter(
		'pre_option_smtpx_settings',
		static function () use ( $settings ) {
			return $settings;
		}
	);
}

/** The class of WordPress's own mailer: WP_PHPMailer (PHPMailer with translated errors) since 6.8. */
function core_mailer_class(): string {
	return version_compare( get_bloginfo( 'version' ), '6.8', '>=' ) ? 'WP_PHPMailer' : 'PHPMailer\PHPMailer\PHPMailer';
}

/** The harness's Postfix submission port, with the test user. */
function postfix_submission( string $password = 'wonderland-42' ): array {
	return array(
		'preset'   => 'other',
		'host'     => '127.0.0.1',
		'ports'    => '10587',
		'auth'     => 'password',
		'username' => 'alice',
		'password' => $password,
	);
}

/** A marker unique to this run, to find the messages of one test in the shared maildir. */
function marker( string $name ): string {
	static $run = null;
	$run = $run ?? bin2hex( random_bytes( 6 ) );
	return "$run-$name";
}

/**
 * Messages in the harness maildir whose X-Smtpx-Test header is $marker, waiting up
 * to $seconds for $count of them.
 *
 * @return string[] Raw messages.
 */
function delivered( string $marker, int $count = 1, float $seconds = 10 ): array {
	$deadline = microtime( true ) + $seconds;
	do {
		$found = array();
		foreach ( array( 'new', 'cur' ) as $sub ) {
			foreach ( glob( peers_dir() . "/maildir/$sub/*" ) ?: array() as $file ) {
				$raw = (string) file_get_contents( $file );
				if ( preg_match( '/^X-Smtpx-Test: ' . preg_quote( $marker, '/' ) . '\r?$/mi', $raw ) ) {
					$found[] = $raw;
				}
			}
		}
		if ( count( $found ) >= $count ) {
			return $found;
		}
		usleep( 200000 );
	} while ( microtime( true ) < $deadline );
	return $found;
}

/** Prints "ok N - name # SKIP why": a check that cannot run here, counted as skipped. */
function skip( string $name, string $why ): void {
	ok( true, "$name # SKIP $why" );
}

/**
 * Whether this process runs the plugin's PHPMailer path on purpose: tests/wp/run runs the
 * outbox's tests a second time in PHP without the extension (SMTPX_WP_PHPMAILER_PATH=1).
 */
function phpmailer_path(): bool {
	return '1' === getenv( 'SMTPX_WP_PHPMAILER_PATH' );
}

/** The PHP arguments tests/wp/run uses, for child PHP processes: without the extension on the PHPMailer path. */
function php_args(): array {
	$file = state_dir() . '/php-args';
	$args = is_file( $file ) ? file( $file, FILE_IGNORE_NEW_LINES | FILE_SKIP_EMPTY_LINES ) : array();
	if ( ! phpmailer_path() ) {
		return $args;
	}
	$kept = array();
	for ( $i = 0; $i < count( $args ); $i++ ) {
		if ( '-d' === $args[ $i ] && preg_match( '/^(extension|auto_prepend_file)=/', $args[ $i + 1 ] ?? '' ) ) {
			++$i; // The setting's value goes with it.
			continue;
		}
		$kept[] = $args[ $i ];
	}
	return $kept;
}

/** Runs a PHP script in a child process; returns [exit status, output]. */
function run_php( array $args, array $php_args = null ): array {
	$command = array_merge( array( PHP_BINARY ), $php_args ?? php_args(), $args );
	$output  = array();
	exec( implode( ' ', array_map( 'escapeshellarg', $command ) ) . ' 2>&1', $output, $status );
	return array( $status, implode( "\n", $output ) );
}

/**
 * Starts the harness's aiosmtpd capture server on a free loopback port.
 *
 * @return array{port: int, dir: string, process: resource}
 */
function start_capture(): array {
	$dir  = state_dir() . '/capture-' . bin2hex( random_bytes( 4 ) );
	$port = 0;
	for ( $try = 0; $try < 20 && 0 === $port; $try++ ) {
		$candidate = random_int( 20000, 29999 );
		$probe     = @stream_socket_server( "tcp://127.0.0.1:$candidate" );
		if ( $probe ) {
			fclose( $probe );
			$port = $candidate;
		}
	}
	$script  = dirname( __DIR__, 2 ) . '/peers/aiosmtpd_server.py';
	$process = proc_open( array( '/usr/bin/python3', $script, '--port', (string) $port, '--dir', $dir ), array( 1 => array( 'pipe', 'w' ), 2 => array( 'file', $dir . '.log', 'a' ) ), $pipes );
	stream_set_timeout( $pipes[1], 15 );
	$ready = fgets( $pipes[1] );
	if ( ! is_string( $ready ) || ! str_starts_with( $ready, 'ready' ) ) {
		throw new \RuntimeException( "aiosmtpd did not start on $port" );
	}
	register_shutdown_function(
		static function () use ( $process ) {
			proc_terminate( $process );
			proc_close( $process );
		}
	);
	return array(
		'port'    => $port,
		'dir'     => $dir,
		'process' => $process,
	);
}

/**
 * A message reduced to what must be equal between two deliveries: LF line ends,
 * no transport headers (Return-Path, Delivered-To, Received, X-Original-To), and
 * Date, Message-ID, X-Mailer and MIME boundaries replaced by placeholders.
 */
function normalise( string $raw ): string {
	$raw = str_replace( "\r\n", "\n", $raw );
	[ $head, $body ] = array_pad( explode( "\n\n", $raw, 2 ), 2, '' );
	$head = preg_replace( "/\n[ \t]+/", ' ', $head ); // Unfold (RFC 5322 2.2.3).
	$kept = array();
	foreach ( explode( "\n", $head ) as $line ) {
		$name = strtolower( strstr( $line, ':', true ) ?: '' );
		if ( in_array( $name, array( 'return-path', 'delivered-to', 'received', 'x-original-to' ), true ) ) {
			continue;
		}
		if ( in_array( $name, array( 'date', 'message-id', 'x-mailer' ), true ) ) {
			$line = ucfirst( $name ) . ': (volatile)';
		}
		$kept[] = $line;
	}
	$message = implode( "\n", $kept ) . "\n\n" . $body;
	// PHPMailer's own SMTP client (core's path in these tests) sends one more empty line
	// after a body that already ends with a line end (SMTP::data() emits every line of
	// explode("\n"), the empty last one too): framing, not content, so it is not compared.
	$message = rtrim( $message, "\n" ) . "\n";
	preg_match_all( '/boundary="?([^";\s]+)"?/i', $message, $matches );
	foreach ( array_unique( $matches[1] ) as $i => $boundary ) {
		$message = str_replace( $boundary, 'BOUNDARY' . ( $i + 1 ), $message );
	}
	return $message;
}

/** A header's value from a raw message (first occurrence, unfolded). */
function header_value( string $raw, string $name ): ?string {
	$head = preg_replace( "/\r?\n[ \t]+/", ' ', explode( "\n\n", str_replace( "\r\n", "\n", $raw ), 2 )[0] );
	return preg_match( '/^' . preg_quote( $name, '/' ) . ':\s*(.*)$/mi', $head, $m ) ? trim( $m[1] ) : null;
}

/** Empties the outbox, so a test's rows are its own and no later drainer sends them. */
function outbox_clear(): void {
	global $wpdb;
	$wpdb->query( 'DELETE FROM ' . \Smtpx\WordPress\Outbox_Schema::table() );
}

/**
 * Outbox rows, oldest first, decoded.
 *
 * @param string $where SQL condition (trusted: written by the test).
 * @return array<int, array<string, mixed>>
 */
function outbox_rows( string $where = '1=1' ): array {
	global $wpdb;
	$ids = $wpdb->get_col( 'SELECT id FROM ' . \Smtpx\WordPress\Outbox_Schema::table() . " WHERE $where ORDER BY id" );
	return array_map(
		static function ( $id ) {
			return \Smtpx\WordPress\Outbox::get( (int) $id );
		},
		$ids
	);
}

/** Makes every queued row due now, as if its backoff had passed. */
function outbox_make_due(): void {
	global $wpdb;
	$wpdb->query( 'UPDATE ' . \Smtpx\WordPress\Outbox_Schema::table() . " SET next_attempt_at = 0 WHERE status = 'queued'" );
}

/**
 * Starts Postfix's smtp-sink on a free loopback port with the given flags (smtp-sink(1):
 * "-q ." hangs up after the data without a reply), ended when this process exits.
 *
 * @param string[] $flags smtp-sink options.
 * @return int The port.
 */
function start_sink( array $flags ): int {
	for ( $try = 0; $try < 20; $try++ ) {
		$port  = random_int( 30000, 39999 );
		$probe = @stream_socket_server( "tcp://127.0.0.1:$port" );
		if ( ! $probe ) {
			continue;
		}
		fclose( $probe );
		$log     = state_dir() . "/sink-$port.log";
		$process = proc_open( array_merge( array( '/usr/sbin/smtp-sink', '-u', 'nobody' ), $flags, array( "127.0.0.1:$port", '64' ) ), array( 1 => array( 'file', $log, 'a' ), 2 => array( 'file', $log, 'a' ) ), $pipes );
		for ( $wait = 0; $wait < 50; $wait++ ) {
			$client = @stream_socket_client( "tcp://127.0.0.1:$port", $errno, $error, 1 );
			if ( $client ) {
				fclose( $client );
				register_shutdown_function(
					static function () use ( $process ) {
						proc_terminate( $process );
						proc_close( $process );
					}
				);
				return $port;
			}
			usleep( 100000 );
		}
		proc_terminate( $process );
	}
	throw new \RuntimeException( 'smtp-sink did not start' );
}

/** A loopback port nothing listens on now (the kernel's pick, released at once). */
function free_port(): int {
	$socket = stream_socket_server( 'tcp://127.0.0.1:0' );
	$port   = (int) substr( strrchr( stream_socket_get_name( $socket, false ), ':' ), 1 );
	fclose( $socket );
	return $port;
}

/**
 * Starts bench/relay.py on a loopback port (0: one it picks) in front of the loopback port
 * $target, delaying each direction by $delay_ms; ended when this process exits.
 *
 * @return int The port it listens on.
 */
function start_relay( int $target, float $delay_ms, int $port = 0 ): int {
	$relay   = dirname( __DIR__, 3 ) . '/bench/relay.py';
	$process = proc_open( array( '/usr/bin/python3', $relay, '--listen', "127.0.0.1:$port", '--target', "127.0.0.1:$target", '--delay-ms', (string) $delay_ms ), array( 1 => array( 'pipe', 'w' ), 2 => array( 'file', state_dir() . '/relay.log', 'a' ) ), $pipes );
	register_shutdown_function(
		static function () use ( $process ) {
			proc_terminate( $process );
			proc_close( $process );
		}
	);
	stream_set_timeout( $pipes[1], 10 );
	if ( ! preg_match( '/^listening \S+:(\d+)/', (string) fgets( $pipes[1] ), $listening ) ) {
		throw new \RuntimeException( "bench/relay.py did not start on 127.0.0.1:$port (see " . state_dir() . '/relay.log)' );
	}
	return (int) $listening[1];
}

/** A plain connection (no TLS, no AUTH) to a loopback port: the sink, or Postfix's 10025. */
function plain_connection( int $port ): array {
	return array(
		'preset' => 'other',
		'host'   => '127.0.0.1',
		'ports'  => (string) $port,
		'auth'   => 'none',
		'tls'    => 'none',
	);
}
