<?php
/**
 * What the log costs: 200 order emails of about 20 KB of HTML each (one template, each
 * with its own customer, order number and items, as a shop sends them), delivered and
 * logged; the bytes stored per message are reported, and must be a fraction of the mail.
 * (Issue 11's goal: 10,000 such messages under 25 MB, 2.5 KB each.)
 */

namespace SmtpxTest;

require __DIR__ . '/../lib/bootstrap.php';
require __DIR__ . '/../lib/order-email.php';

outbox_clear();
use_connection( plain_connection( 10025 ) );
$raw = 0;
for ( $n = 1; $n <= 200; $n++ ) {
	$html = order_email( $n );
	$raw += strlen( $html );
	wp_mail( "customer-$n@example.com", sprintf( 'Your order #%d is complete', 100000 + $n ), $html, array( 'Content-Type: text/html; charset=UTF-8' ) );
}
global $wpdb;
$table  = \Smtpx\WordPress\Outbox_Schema::table();
$stored = (int) $wpdb->get_var( "SELECT SUM( LENGTH(mime) + LENGTH(mail_data) + LENGTH(envelope_to) + LENGTH(envelope_from) + LENGTH(subject) + LENGTH(message_id) + LENGTH(final_reply) + 80 ) FROM $table WHERE status = 'sent'" );
is( (int) $wpdb->get_var( "SELECT COUNT(*) FROM $table WHERE status = 'sent'" ), 200, '200 order emails delivered and logged' );
printf( "# HTML per message %.1f KB; stored per message %.2f KB (columns plus 80 bytes of fixed fields)\n", $raw / 200 / 1024, $stored / 200 / 1024 );
$wpdb->query( "ANALYZE TABLE $table" );
$innodb = (int) $wpdb->get_var( $wpdb->prepare( 'SELECT DATA_LENGTH + INDEX_LENGTH FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = %s', $table ) );
printf( "# InnoDB's pages for the table: %.2f KB per message\n", $innodb / 200 / 1024 );
ok( $stored < $raw * 0.25, sprintf( 'the log stores %.0f%% of the HTML alone', 100 * $stored / $raw ) );
outbox_clear();
