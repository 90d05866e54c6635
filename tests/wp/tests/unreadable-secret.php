<?php
/**
 * A saved password sealed under other salts (wp-config.php's salts changed) cannot be
 * read: no mail is attempted without it (the server never hears from smtpx), the mail
 * waits in the outbox, and an admin notice and Site Health say what to do.
 */

namespace SmtpxTest;

use Smtpx\WordPress\Settings;

require __DIR__ . '/../lib/bootstrap.php';

$port = start_sink( array( '-v' ) );
remove_all_filters( 'pre_option_' . Settings::OPTION );
add_filter(
	'pre_option_' . Settings::OPTION,
	static function () use ( $port ) {
		return array(
			'primary' => array_merge(
				plain_connection( $port ),
				array(
					'auth'     => 'password',
					'username' => 'alice',
					// What seal() wrote under the old salts: this site's key cannot open it.
					'password' => 'smtpx1:' . base64_encode( random_bytes( 48 ) ),
				)
			),
		);
	}
);
outbox_clear();

ok( Settings::secret_unreadable( 'primary' ), 'the saved password cannot be read' );
$marker = marker( 'unreadable' );
is( wp_mail( 'reader@example.com', 'Waits for the password', 'body', array( "X-Smtpx-Test: $marker" ) ), true, 'wp_mail() returns true: the mail waits' );
$row = outbox_rows()[0] ?? array();
is( array( $row['status'] ?? null, $row['failure_phase'] ?? null ), array( 'queued', 'auth' ), 'the mail is queued, the failure is the credentials' );
ok( str_contains( (string) ( $row['failure_message'] ?? '' ), 'cannot be read' ), 'the log says the password cannot be read', (string) ( $row['failure_message'] ?? '' ) );
usleep( 300000 );
// smtp-sink -v logs every command (its own readiness check connects, but says nothing).
$heard = (string) file_get_contents( state_dir() . "/sink-$port.log" );
ok( ! str_contains( $heard, 'EHLO' ) && ! str_contains( $heard, 'MAIL FROM' ), 'the server never heard from smtpx', $heard );
ok( str_contains( implode( ' ', array_column( \Smtpx\WordPress\Notices::problems(), 1 ) ), 'cannot be read any more' ), 'an admin notice says so' );
is( \Smtpx\WordPress\Site_Health::test_connection()['status'], 'critical', 'Site Health reports it as critical' );
outbox_clear();
