<?php
/**
 * SendGrid, Postmark and Brevo over their HTTPS APIs, which take the message's fields
 * instead of MIME, against the harness's API peer (lib/api-peer.php): each offers "SMTP"
 * or "HTTPS API"; a wp_mail() whose route reaches such an API goes to smtpx_send() with
 * the fields PHPMailer holds after phpmailer_init (From and name, To, Cc, Bcc, Reply-To,
 * Subject, text and HTML, custom headers, attachments, inline parts by Content-ID), and
 * the outbox keeps them beside the MIME for a retry (a 429) or a resend; SendGrid's SMTP
 * connection falls back to its API with the same key when no SMTP port answers; a field
 * the API cannot carry fails the message for good, naming the field, and nothing is sent.
 */

namespace SmtpxTest;

use Smtpx\WordPress\Message_Fields;
use Smtpx\WordPress\Outbox;
use Smtpx\WordPress\Outbox_Schema;
use Smtpx\WordPress\Settings;

define( 'SMTPX_API_ENDPOINT', 'https://127.0.0.1:10443' ); // API_PEER.
require __DIR__ . '/../lib/bootstrap.php';
require __DIR__ . '/../lib/api-peer.php';

if ( ! function_exists( 'smtpx_send' ) || ! Settings::extension_loaded() || phpmailer_path() ) {
	skip( 'the JSON APIs', 'they need the smtpx extension' );
	exit( 0 );
}

$endpoint = array(
	'api_endpoint' => SMTPX_API_ENDPOINT,
	'cafile'       => SMTPX_CAFILE,
);
$png      = base64_decode( 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==' );
$attached = state_dir() . '/' . marker( 'attachment' ) . '/invoice.txt';
wp_mkdir_p( dirname( $attached ) );
file_put_contents( $attached, "Invoice ✓ 42\n" );

/**
 * wp_mail() with every field: HTML and text, Cc, Bcc, Reply-To, a custom header, an
 * attachment and (unless $inline is false) an inline image; phpmailer_init adds the text
 * body and the image, and changes the From name.
 */
function send_everything( string $marker, bool $inline = true ): bool {
	global $png, $attached;
	$init = static function ( $mailer ) use ( $marker, $inline, $png ) {
		$mailer->AltBody  = "Text ✓ $marker";
		$mailer->FromName = 'Shöp, Inc.'; // A comma that stays in the name.
		if ( $inline ) {
			$mailer->addStringEmbeddedImage( $png, 'logo@smtpx.test', 'logo.png', 'base64', 'image/png' );
		}
	};
	add_action( 'phpmailer_init', $init );
	$sent = wp_mail(
		'reader@example.com',
		"Order ✓ $marker",
		"<p>HTML ✓ $marker</p><img src=\"cid:logo@smtpx.test\">",
		array(
			'From: Shöp <shop@smtpx.test>',
			'Content-Type: text/html; charset=UTF-8',
			'Cc: Carol <carol@example.com>',
			'Bcc: dave@example.com',
			'Reply-To: Help Desk <help@example.com>',
			"X-Smtpx-Test: $marker",
			'MIME-Version: 1.0', // Written by PHPMailer and the extension themselves: not a field.
		),
		array( $attached )
	);
	remove_action( 'phpmailer_init', $init );
	return $sent;
}

/** An attachment as the peer read it: its decoded size and SHA-256. */
function content_of( string $bytes ): array {
	return array(
		'size'         => strlen( $bytes ),
		'sha256'       => hash( 'sha256', $bytes ),
		'valid_base64' => true,
	);
}

/** The one accepted request carrying $marker, as the peer read it (null when not exactly one). */
function arrived( string $marker ): ?array {
	$accepted = array_values(
		array_filter(
			api_requests_with( $marker ),
			static function ( $entry ) {
				return ! empty( $entry['accepted'] );
			}
		)
	);
	return 1 === count( $accepted ) ? $accepted[0]['fields'] : null;
}

// What each preset hands to the extension.
use_connection( array( 'preset' => 'sendgrid', 'transport' => 'api', 'password' => 'SG.test-key' ) );
is( Settings::transport( 'primary' ), array( 'api' => 'sendgrid', 'api_key' => 'SG.test-key' ) + $endpoint, 'SendGrid over its API: the API key' );
use_connection( array( 'preset' => 'postmark', 'transport' => 'api', 'password' => 'pm-test-token' ) );
is( Settings::transport( 'primary' ), array( 'api' => 'postmark', 'api_key' => 'pm-test-token' ) + $endpoint, 'Postmark over its API: the server token' );
use_connection( array( 'preset' => 'brevo', 'transport' => 'api', 'username' => 'login@example.com', 'password' => 'xkeysib-test' ) );
is( Settings::transport( 'primary' ), array( 'api' => 'brevo', 'api_key' => 'xkeysib-test' ) + $endpoint, 'Brevo over its API: the API key' );
use_connection( array( 'preset' => 'sendgrid', 'password' => 'SG.test-key' ) );
is( Settings::transport( 'primary' )['fallback'] ?? null, array( 'api' => 'sendgrid', 'api_key' => 'SG.test-key' ) + $endpoint, 'SendGrid over SMTP: falls back to its API with the same key' );
use_connection( array( 'preset' => 'postmark', 'password' => 'pm-test-token' ) );
is( Settings::transport( 'primary' )['fallback'] ?? null, array( 'api' => 'postmark', 'api_key' => 'pm-test-token' ) + $endpoint, 'Postmark over SMTP: falls back to its API with the same token' );
use_connection( array( 'preset' => 'brevo', 'username' => 'login@example.com', 'password' => 'xsmtpsib-test', 'api_key' => 'xkeysib-test' ) );
$brevo = Settings::transport( 'primary' );
is( array( $brevo['password'] ?? null, $brevo['fallback'] ?? null ), array( 'xsmtpsib-test', array( 'api' => 'brevo', 'api_key' => 'xkeysib-test' ) + $endpoint ), 'Brevo over SMTP: the SMTP key, and its API with the API key as fallback' );
use_connection( array( 'preset' => 'brevo', 'username' => 'login@example.com', 'password' => 'xsmtpsib-test' ) );
ok( ! isset( Settings::transport( 'primary' )['fallback'] ), 'Brevo over SMTP without an API key: no fallback (its SMTP key is not one)' );

// Which routes need the fields.
$routes = array(
	'sendgrid+api://SG.x@default'                                            => true,
	'brevo+api://xkeysib-x@default'                                          => true,
	'mailgun+api://key:mg.example.com@default'                               => false,
	'smtp://apikey:SG.x@smtp.sendgrid.net'                                   => false,
	wp_json_encode( array( 'host' => 'smtp.sendgrid.net' ) )                 => true,
	wp_json_encode( array( 'host' => 'smtp.postmarkapp.com', 'api_fallback' => false ) ) => false,
	wp_json_encode( array( 'host' => 'smtp.example.com', 'fallback' => 'postmark+api://t@default' ) ) => true,
	wp_json_encode( array( 'host' => 'smtp.example.com', 'fallback' => array( 'api' => 'ses' ) ) ) => false,
);
$answers = array();
foreach ( array_keys( $routes ) as $route ) {
	$answers[ $route ] = Message_Fields::reaches_json_api( str_starts_with( $route, '{' ) ? json_decode( $route, true ) : $route );
}
is( $answers, $routes, 'routes: a JSON API, a fallback to one, SendGrid\'s and Postmark\'s SMTP hosts (arrays: a DSN keeps PHPMailer\'s MIME)' );

// SendGrid over its API: every field arrives.
outbox_clear();
use_connection( array( 'preset' => 'sendgrid', 'transport' => 'api', 'password' => 'SG.test-key' ) );
$marker = marker( 'sendgrid-fields' );
ok( send_everything( $marker ), 'SendGrid: wp_mail() returns true' );
is( $GLOBALS['phpmailer']->smtpx_result['transport'] ?? null, 'sendgrid+api', 'SendGrid: the extension says sendgrid+api carried it' );
$json = arrived( $marker );
is(
	array( $json['personalizations'] ?? null, $json['from'] ?? null, $json['reply_to'] ?? null, $json['subject'] ?? null ),
	array(
		array(
			array(
				'to'  => array( array( 'email' => 'reader@example.com' ) ),
				'cc'  => array( array( 'email' => 'carol@example.com', 'name' => 'Carol' ) ),
				'bcc' => array( array( 'email' => 'dave@example.com' ) ),
			),
		),
		array( 'email' => 'shop@smtpx.test', 'name' => 'Shöp, Inc.' ),
		array( 'email' => 'help@example.com', 'name' => 'Help Desk' ),
		"Order ✓ $marker",
	),
	'SendGrid: To, Cc, Bcc, From with its name, Reply-To and Subject, in UTF-8'
);
is(
	$json['content'] ?? null,
	array(
		array( 'type' => 'text/plain', 'value' => "Text ✓ $marker" ),
		array( 'type' => 'text/html', 'value' => "<p>HTML ✓ $marker</p><img src=\"cid:logo@smtpx.test\">" ),
	),
	'SendGrid: the text and the HTML body'
);
is( $json['headers'] ?? null, array( 'X-Smtpx-Test' => $marker ), 'SendGrid: the custom header' );
is(
	$json['attachments'] ?? null,
	array(
		array( 'content' => content_of( "Invoice ✓ 42\n" ), 'type' => 'text/plain', 'filename' => 'invoice.txt', 'disposition' => 'attachment' ),
		array( 'content' => content_of( $png ), 'type' => 'image/png', 'filename' => 'logo.png', 'disposition' => 'inline', 'content_id' => 'logo@smtpx.test' ),
	),
	'SendGrid: the attachment, and the inline image with its Content-ID'
);
$row = outbox_rows()[0] ?? array();
is( array( $row['status'] ?? null, $row['fields']['subject'] ?? null ), array( 'sent', "Order ✓ $marker" ), 'SendGrid: the outbox row keeps the fields' );
global $wpdb;
$stored = (int) $wpdb->get_var( $wpdb->prepare( 'SELECT LENGTH(fields) FROM ' . Outbox_Schema::table() . ' WHERE id = %d', $row['id'] ?? 0 ) );
ok( $stored > 0 && $stored < strlen( (string) wp_json_encode( $row['fields'] ?? array() ) ), "SendGrid: compressed ($stored bytes)" );

// A resend from the log sends the same fields.
ok( Outbox::requeue( (int) ( $row['id'] ?? 0 ) ), 'resend: back in the queue' );
do_action( 'smtpx_queue_run' );
$requests = array_values(
	array_filter(
		api_requests_with( $marker ),
		static function ( $entry ) {
			return ! empty( $entry['accepted'] );
		}
	)
);
is( count( $requests ), 2, 'resend: a second request' );
is( $requests[1]['fields'] ?? null, $requests[0]['fields'] ?? null, 'resend: the same fields' );

// Postmark over its API.
outbox_clear();
use_connection( array( 'preset' => 'postmark', 'transport' => 'api', 'password' => 'pm-test-token' ) );
$marker = marker( 'postmark-fields' );
ok( send_everything( $marker ), 'Postmark: wp_mail() returns true' );
$json = arrived( $marker );
is(
	array( $json['From'] ?? null, $json['To'] ?? null, $json['Cc'] ?? null, $json['Bcc'] ?? null, $json['ReplyTo'] ?? null, $json['Subject'] ?? null ),
	array( '"Shöp, Inc." <shop@smtpx.test>', 'reader@example.com', '"Carol" <carol@example.com>', 'dave@example.com', '"Help Desk" <help@example.com>', "Order ✓ $marker" ),
	'Postmark: From with its name, To, Cc, Bcc, Reply-To and Subject'
);
is( array( $json['TextBody'] ?? null, $json['HtmlBody'] ?? null ), array( "Text ✓ $marker", "<p>HTML ✓ $marker</p><img src=\"cid:logo@smtpx.test\">" ), 'Postmark: the text and the HTML body' );
is( $json['Headers'] ?? null, array( array( 'Name' => 'X-Smtpx-Test', 'Value' => $marker ) ), 'Postmark: the custom header' );
is(
	$json['Attachments'] ?? null,
	array(
		array( 'Name' => 'invoice.txt', 'Content' => content_of( "Invoice ✓ 42\n" ), 'ContentType' => 'text/plain' ),
		array( 'Name' => 'logo.png', 'Content' => content_of( $png ), 'ContentType' => 'image/png', 'ContentID' => 'cid:logo@smtpx.test' ),
	),
	'Postmark: the attachment, and the inline image with its Content-ID'
);

// Brevo over its API (no inline parts there: below).
outbox_clear();
use_connection( array( 'preset' => 'brevo', 'transport' => 'api', 'password' => 'xkeysib-test' ) );
$marker = marker( 'brevo-fields' );
ok( send_everything( $marker, false ), 'Brevo: wp_mail() returns true' );
$json = arrived( $marker );
is(
	array( $json['sender'] ?? null, $json['to'] ?? null, $json['cc'] ?? null, $json['bcc'] ?? null, $json['replyTo'] ?? null, $json['subject'] ?? null ),
	array(
		array( 'email' => 'shop@smtpx.test', 'name' => 'Shöp, Inc.' ),
		array( array( 'email' => 'reader@example.com' ) ),
		array( array( 'email' => 'carol@example.com', 'name' => 'Carol' ) ),
		array( array( 'email' => 'dave@example.com' ) ),
		array( 'email' => 'help@example.com', 'name' => 'Help Desk' ),
		"Order ✓ $marker",
	),
	'Brevo: sender with its name, To, Cc, Bcc, Reply-To and Subject'
);
is( array( $json['textContent'] ?? null, $json['htmlContent'] ?? null, $json['headers'] ?? null ), array( "Text ✓ $marker", "<p>HTML ✓ $marker</p><img src=\"cid:logo@smtpx.test\">", array( 'X-Smtpx-Test' => $marker ) ), 'Brevo: the text and HTML body and the custom header' );
is( $json['attachment'] ?? null, array( array( 'content' => content_of( "Invoice ✓ 42\n" ), 'name' => 'invoice.txt' ) ), 'Brevo: the attachment' );

// Headers PHPMailer writes from its properties go as headers.
outbox_clear();
use_connection( array( 'preset' => 'postmark', 'transport' => 'api', 'password' => 'pm-test-token' ) );
$marker     = marker( 'postmark-priority' );
$properties = static function ( $mailer ) {
	$mailer->Priority         = 1;
	$mailer->ConfirmReadingTo = 'receipts@smtpx.test';
};
add_action( 'phpmailer_init', $properties );
ok( wp_mail( 'reader@example.com', "Urgent $marker", 'body' ), 'Priority: wp_mail() returns true' );
remove_action( 'phpmailer_init', $properties );
$GLOBALS['phpmailer']->Priority         = null; // wp_mail() leaves them set on the mailer it reuses.
$GLOBALS['phpmailer']->ConfirmReadingTo = '';
is( arrived( $marker )['Headers'] ?? null, array( array( 'Name' => 'X-Priority', 'Value' => '1' ), array( 'Name' => 'Disposition-Notification-To', 'Value' => '<receipts@smtpx.test>' ) ), 'Priority and ConfirmReadingTo: sent as their headers' );

// A field the API cannot carry: failed for good, naming it, nothing sent.
outbox_clear();
use_connection( array( 'preset' => 'brevo', 'transport' => 'api', 'password' => 'xkeysib-test' ) );
$marker = marker( 'brevo-inline' );
is( send_everything( $marker ), false, 'refused field: wp_mail() returns false' );
$row = outbox_rows()[0] ?? array();
is( array( $row['status'] ?? null, $row['failure_phase'] ?? null ), array( 'failed', 'input' ), 'refused field: the row failed for good, refused as input' );
ok( str_contains( (string) ( $row['failure_message'] ?? '' ), 'attachments[1].inline' ) && str_contains( (string) ( $row['failure_message'] ?? '' ), 'Brevo' ), 'refused field: the failure names the field', (string) ( $row['failure_message'] ?? '' ) );
is( api_requests_with( $marker ), array(), 'refused field: nothing reached the API' );
do_action( 'smtpx_queue_run' );
is( Outbox::get( (int) ( $row['id'] ?? 0 ) )['attempts'] ?? null, 1, 'refused field: never retried' );

// An envelope sender set in phpmailer_init: the API sets its own, and says so by name.
outbox_clear();
use_connection( array( 'preset' => 'sendgrid', 'transport' => 'api', 'password' => 'SG.test-key' ) );
$marker = marker( 'sendgrid-sender' );
$sender = static function ( $mailer ) {
	$mailer->Sender = 'bounces@smtpx.test';
};
add_action( 'phpmailer_init', $sender );
is( wp_mail( 'reader@example.com', "Bounces $marker", 'body' ), false, 'envelope sender: wp_mail() returns false' );
remove_action( 'phpmailer_init', $sender );
$GLOBALS['phpmailer']->Sender = ''; // wp_mail() leaves it set on the mailer it reuses.
$row = outbox_rows()[0] ?? array();
ok( 'failed' === ( $row['status'] ?? null ) && str_contains( (string) ( $row['failure_message'] ?? '' ), 'sender' ), 'envelope sender: failed for good, naming the field', (string) ( $row['failure_message'] ?? '' ) );
is( api_requests_with( $marker ), array(), 'envelope sender: nothing reached the API' );

// A site whose charset is not UTF-8: the fields arrive in UTF-8.
outbox_clear();
$marker  = marker( 'latin-1' );
$charset = static function () {
	return 'ISO-8859-1';
};
add_filter( 'wp_mail_charset', $charset );
ok( wp_mail( 'reader@example.com', mb_convert_encoding( "Grüße $marker", 'ISO-8859-1', 'UTF-8' ), mb_convert_encoding( 'Schöne Grüße', 'ISO-8859-1', 'UTF-8' ), array( mb_convert_encoding( 'From: Jörg <shop@smtpx.test>', 'ISO-8859-1', 'UTF-8' ) ) ), 'ISO-8859-1: wp_mail() returns true' );
remove_filter( 'wp_mail_charset', $charset );
$json = arrived( $marker );
is( array( $json['subject'] ?? null, $json['content'][0]['value'] ?? null, $json['from']['name'] ?? null ), array( "Grüße $marker", 'Schöne Grüße', 'Jörg' ), 'ISO-8859-1: Subject, body and From name converted to UTF-8' );

// A 429 from the API: deferred, retried by the outbox, delivered once.
outbox_clear();
use_connection( array( 'preset' => 'sendgrid', 'transport' => 'api', 'password' => 'SG.test-key' ) );
$marker = marker( 'sendgrid-429' );
api_peer( '/_control', array( 'next' => array( array( 'provider' => 'sendgrid', 'contains' => $marker, 'status' => 429, 'retry_after' => 1 ) ) ) );
ok( send_everything( $marker ), '429: wp_mail() returns true (deferred)' );
$row = outbox_rows()[0] ?? array();
is( array( $row['status'] ?? null, $row['attempts'] ?? null ), array( 'queued', 1 ), '429: the row waits for a retry' );
ok( is_array( $row['fields'] ?? null ), '429: with its fields' );
outbox_make_due();
do_action( 'smtpx_queue_run' );
is( Outbox::get( (int) ( $row['id'] ?? 0 ) )['status'] ?? null, 'sent', '429: the retry delivered it' );
is( array_column( api_requests_with( $marker ), 'status' ), array( 429, 202 ), '429: two requests, the second accepted' );
ok( null !== arrived( $marker ) && ( arrived( $marker )['attachments'][1]['content_id'] ?? null ) === 'logo@smtpx.test', '429: the retry carried the same fields, delivered once' );

// SendGrid over SMTP, every port blocked: its API takes the fields.
outbox_clear();
use_connection( array( 'preset' => 'sendgrid', 'password' => 'SG.test-key' ) );
add_filter( 'smtpx_transport', __NAMESPACE__ . '\smtp_blocked' );
$marker = marker( 'sendgrid-fallback' );
ok( send_everything( $marker ), 'SMTP blocked: wp_mail() returns true' );
$result = $GLOBALS['phpmailer']->smtpx_result;
is( array( $result['transport'] ?? null, isset( $result['fallback_from'] ) ), array( 'sendgrid+api', true ), 'SMTP blocked: SendGrid\'s API carried it, and the result says why' );
$json = arrived( $marker );
is( array( $json['subject'] ?? null, $json['headers'] ?? null, count( $json['attachments'] ?? array() ) ), array( "Order ✓ $marker", array( 'X-Smtpx-Test' => $marker ), 2 ), 'SMTP blocked: with the fields' );
remove_filter( 'smtpx_transport', __NAMESPACE__ . '\smtp_blocked' );

// SendGrid over SMTP that works (Postfix in its place, the API fallback kept): the fields go
// over SMTP; a body the caller built as MIME has none, and goes as MIME. (wp_mail() keeps
// the caller's multipart Content-Type only beside another custom header: X-Smtpx-Test.)
outbox_clear();
$to_postfix = static function ( $transport ) {
	$postfix = array(
		'host'     => '127.0.0.1',
		'ports'    => array( 10587 ),
		'username' => 'alice',
		'password' => 'wonderland-42',
	);
	return is_array( $transport ) && isset( $transport['host'] ) ? array_merge( $transport, $postfix ) : $transport;
};
add_filter( 'smtpx_transport', $to_postfix );
$marker = marker( 'sendgrid-smtp' );
ok( send_everything( $marker ), 'SendGrid over SMTP: wp_mail() returns true' );
is( $GLOBALS['phpmailer']->smtpx_result['transport'] ?? null, 'smtp', 'SendGrid over SMTP: carried over SMTP' );
$copies = delivered( $marker, 3 );
$copy   = normalise( $copies[0] ?? '' );
ok( 3 === count( $copies ) && str_contains( $copy, 'Content-ID: <logo@smtpx.test>' ) && str_contains( $copy, 'invoice.txt' ) && 1 === substr_count( $copy, 'MIME-Version:' ), 'SendGrid over SMTP: delivered to To, Cc and Bcc with the inline image and the attachment, one MIME-Version', $copy );
ok( is_array( outbox_rows()[0]['fields'] ?? null ), 'SendGrid over SMTP: the row keeps the fields for the fallback' );
outbox_clear();
$marker = marker( 'caller-mime' );
ok( wp_mail( 'reader@example.com', "Built by the caller $marker", "--b1\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nplain\r\n--b1--\r\n", array( 'Content-Type: multipart/alternative; boundary="b1"', "X-Smtpx-Test: $marker" ) ), 'caller\'s MIME body: wp_mail() returns true' );
is( count( delivered( $marker ) ), 1, 'caller\'s MIME body: delivered over SMTP' );
$row = outbox_rows()[0] ?? array();
is( array( $row['status'] ?? null, array_key_exists( 'fields', $row ) ? $row['fields'] : 'missing' ), array( 'sent', null ), 'caller\'s MIME body: no fields, sent as MIME' );
remove_filter( 'smtpx_transport', $to_postfix );
// The same body to SendGrid's API, which takes no MIME: failed for good, saying so.
outbox_clear();
use_connection( array( 'preset' => 'sendgrid', 'transport' => 'api', 'password' => 'SG.test-key' ) );
$marker = marker( 'caller-mime-api' );
is( wp_mail( 'reader@example.com', "Built by the caller $marker", "--b1\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nplain\r\n--b1--\r\n", array( 'Content-Type: multipart/alternative; boundary="b1"', "X-Smtpx-Test: $marker" ) ), false, 'caller\'s MIME body to a JSON API: wp_mail() returns false' );
$row = outbox_rows()[0] ?? array();
ok( 'failed' === ( $row['status'] ?? null ) && str_contains( (string) ( $row['failure_message'] ?? '' ), 'takes the message\'s fields, not MIME' ), 'caller\'s MIME body to a JSON API: failed for good, saying the API takes fields', (string) ( $row['failure_message'] ?? '' ) );

// The fallback connection is a JSON API: the primary's failure hands it the fields.
outbox_clear();
use_connection( plain_connection( free_port() ), array( 'preset' => 'postmark', 'transport' => 'api', 'password' => 'pm-test-token' ) );
$marker = marker( 'postmark-fallback' );
ok( send_everything( $marker ), 'fallback connection: wp_mail() returns true' );
is( array( $GLOBALS['phpmailer']->smtpx_result['connection'] ?? null, $GLOBALS['phpmailer']->smtpx_result['transport'] ?? null ), array( 'fallback', 'postmark+api' ), 'fallback connection: Postmark\'s API carried it' );
is( arrived( $marker )['Subject'] ?? null, "Order ✓ $marker", 'fallback connection: with the fields' );

// A route without a JSON API keeps no fields: rows stay compact.
outbox_clear();
use_connection( postfix_submission() );
$marker = marker( 'smtp-only' );
ok( send_everything( $marker ), 'SMTP only: wp_mail() returns true' );
is( count( delivered( $marker, 3 ) ), 3, 'SMTP only: delivered by Postfix (To, Cc and Bcc share its maildir)' );
$row = outbox_rows()[0] ?? array();
is( array( $row['status'] ?? null, array_key_exists( 'fields', $row ) ? $row['fields'] : 'missing' ), array( 'sent', null ), 'SMTP only: no fields stored' );
is( $wpdb->get_var( $wpdb->prepare( 'SELECT fields IS NULL FROM ' . Outbox_Schema::table() . ' WHERE id = %d', $row['id'] ?? 0 ) ), '1', 'SMTP only: the column is NULL' );
outbox_clear();
unlink( $attached );
rmdir( dirname( $attached ) );
