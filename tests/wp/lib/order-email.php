<?php
/**
 * An order email as a shop sends it: about 20 KB of HTML from one template, each with its
 * own customer, order number and items. What the log's size is measured with
 * (tests/outbox-storage.php, bench/run's outbox scenarios).
 */

namespace SmtpxTest;

/** An order email of about 20 KB, different in its details from every other. */
function order_email( int $n ): string {
	$rows = '';
	for ( $item = 1; $item <= 45; $item++ ) {
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
