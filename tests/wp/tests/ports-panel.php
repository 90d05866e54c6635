<?php
/**
 * The Ports panel shows smtpx_probe()'s report: per port whether it is reachable,
 * TLS, certificate, AUTH and whether it is usable, and the recommended port.
 */

namespace SmtpxTest;

use Smtpx\WordPress\Ports_Panel;
use Smtpx\WordPress\Settings;

require __DIR__ . '/../lib/bootstrap.php';
require_once ABSPATH . 'wp-admin/includes/template.php';

wp_set_current_user( 1 );
ok( Ports_Panel::available(), 'smtpx_probe() is there' );
$transport          = array_merge( postfix_submission(), array( 'ports' => '10587, 9' ) );
use_connection( $transport );
$probe = smtpx_probe( Settings::transport( 'primary' ) );
set_transient( 'smtpx_probe_1', $probe, 60 );
ob_start();
Ports_Panel::render();
$html = (string) ob_get_clean();
delete_transient( 'smtpx_probe_1' );

ok( str_contains( $html, 'Recommended: port 10587 (starttls)' ), 'the recommended port is shown', $html );
ok( (bool) preg_match( '#<td>10587 \(starttls\)</td><td>yes \(#', $html ), 'the reachable port is marked reachable' );
ok( (bool) preg_match( '#<td>9 \(starttls\)</td><td>blocked or refused</td>#', $html ), 'the closed port is marked blocked' );
ok( str_contains( $html, 'action" value="smtpx_probe"' ) && str_contains( $html, '_wpnonce' ), 'the Check ports form carries its action and a nonce' );
