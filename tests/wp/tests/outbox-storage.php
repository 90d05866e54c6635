<?php
/**
 * What the log costs: 200 order emails of about 20 KB of HTML each (one template, each
 * with its own customer, order number and items, as a shop sends them), delivered and
 * logged; the bytes stored per message are reported, and must be a fraction of the mail.
 * (Issue 11's goal: 10,000 such messages under 25 MB, 2.5 KB each.)
 */

namespace SmtpxTest;

require __DIR__ . '/../lib/bootstrap.php';

/** An order email of about 20 KB, different in its details from every other. */
function order_email( int $n ): string {
	$rows = '';
	for ( $item = 1; $item <= 40; $item++ ) {
		$price = ( ( $n * 7919 + $item * 104729 ) % 9000 ) / 100 + 5;
		$rows .= sprintf( '<tr><td style="padding:8px;border-bottom:1px solid #eee;font-family:Helvetica,Arial,sans-serif;font-size:14px;color:#333">Product %d-%d, size %s</td><td style="padding:8px;border-bottom:1px solid #eee;text-align:right;font-family:Helvetica,Arial,sans-serif;font-size:14px;color:#333">%d</td><td style="padding:8px;border-bottom:1px solid #eee;text-align:right;font-family:Helvetica,Arial,sans-serif;font-size:14px;color:#333">%.2f €</td></tr>' . "\n", $n % 97, $item, array( 'S', 'M', 'L', 'XL' )[ ( $n + $item ) % 4 ], 1 + ( $n + $item ) % 3, $price );
	}
	return '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Order</title></head><body style="margin:0;padding:0;background:#f7f7f7">'
		. '<table width="100%" cellpadding="0" cellspacing="0" style="background:#f7f7f7"><tr><td align="center">'
		. '<table width="600" cellpadding="0" cellspacing="0" style="background:#ffffff;border:1px solid #dedede;border-radius:3px">'
		. sprintf( '<tr><td style="background:#7f54b3;padding:36px 48px;color:#fff;font-family:Helvetica,Arial,sans-serif;font-size:30px">Thank you for your order #%d</td></tr>', 100000 + $n )
		. sprintf( '<tr><td style="padding:48px;font-family:Helvetica,Arial,sans-serif;font-size:14px;color:#636363"><p>Hi Customer %d,</p><p>We have finished processing your order placed on %s.</p>', $n, gmdate( 'F j, Y', 1790000000 + $n * 3600 ) )
		. '<table width="100%" cellpadding="0" cellspacing="0" style="border:1px solid #e5e5e5">' . "\n" . $rows . '</table>'
		. sprintf( '<p>Billing address: Customer %d, %d Example Street, %05d Example City</p>', $n, $n % 300, ( $n * 37 ) % 99999 )
		. '</td></tr></table></td></tr></table></body></html>';
}

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
