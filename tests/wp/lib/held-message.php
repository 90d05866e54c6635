<?php
/**
 * For the browser test: stores a message as the outbox holds one whose outcome is
 * unknown (claimed, attempted, held), through the plugin's own Outbox API.
 *   php held-message.php RECIPIENT SUBJECT
 * Prints the row's id.
 */

namespace SmtpxTest;

require __DIR__ . '/bootstrap.php';

use Smtpx\WordPress\Outbox;

[ , $recipient, $subject ] = $argv;
$from = 'site@example.com';
$row  = Outbox::add(
	array(
		'envelope_from' => $from,
		'envelope_to'   => array( $recipient ),
		'mime'          => "From: $from\r\nTo: $recipient\r\nSubject: $subject\r\nMessage-ID: <" . bin2hex( random_bytes( 8 ) ) . "@smtpx.test>\r\nContent-Type: text/html; charset=UTF-8\r\n\r\n<p>Held, then <b>resent</b>.</p>\r\n",
		'subject'       => $subject,
		'message_id'    => '',
		'mail_data'     => array( 'to' => array( $recipient ), 'subject' => $subject ),
	),
	true
);
Outbox::record_failure(
	$row,
	Outbox::HELD,
	array(
		'phase'           => 'data',
		'smtp_code'       => 0,
		'enhanced_status' => null,
		'message'         => 'the connection closed after the data, before the reply',
		'hint'            => '',
	)
);
echo $row['id'], "\n";
