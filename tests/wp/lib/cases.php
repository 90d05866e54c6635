<?php
/**
 * wp_mail() calls modelled on what core, WooCommerce, Contact Form 7 and Gravity
 * Forms send. Each case is sent once by core's own mail path and once through the
 * plugin, and the two deliveries are compared (tests/compat.php).
 *
 * A case: to, subject, message, headers, attachments, and optionally hooks, a
 * function that adds filters and actions for the call and returns one that removes them.
 */

namespace SmtpxTest;

/** Attachment files with fixed content, made once. */
function attachment( string $name, string $content ): string {
	$dir = state_dir() . '/attachments';
	if ( ! is_dir( $dir ) ) {
		mkdir( $dir, 0755, true );
	}
	$path = "$dir/$name";
	if ( ! is_file( $path ) || file_get_contents( $path ) !== $content ) {
		file_put_contents( $path, $content );
	}
	return $path;
}

/** Adds a hook for one call; returns the function that removes it. */
function hook( string $name, callable $callback, int $priority = 10, int $args = 1 ): callable {
	add_filter( $name, $callback, $priority, $args );
	return static function () use ( $name, $callback, $priority ) {
		remove_filter( $name, $callback, $priority );
	};
}

/** @return array<string, array<string, mixed>> */
function cases(): array {
	$pdf = attachment( 'invoice-1234.pdf', "%PDF-1.4\n" . str_repeat( "\x00\x01\x02\xff binary \r\n", 200 ) . "%%EOF\n" );
	$csv = attachment( 'entries.csv', "name,email\nJane,jane@example.org\nJürgen,j@example.de\n" );
	$txt = attachment( 'notes.txt', "plain text attachment\n.starts with a dot\n" );

	return array(
		'core-password-reset'  => array(
			'to'      => 'reader@example.com',
			'subject' => '[smtpx test site] Password Reset',
			'message' => "Someone has requested a password reset for the following account:\r\n\r\nSite Name: smtpx test site\r\n\r\nUsername: reader\r\n\r\nIf this was a mistake, ignore this email and nothing will happen.\r\n\r\nTo reset your password, visit the following address:\r\n\r\nhttp://127.0.0.1/wp-login.php?action=rp&key=abc&login=reader\r\n",
			'headers' => '',
		),
		'woocommerce-order'    => array(
			'to'      => 'Customer Ünal <customer@example.com>',
			'subject' => 'Your Café order #1234 is complete ✓',
			'message' => '<!DOCTYPE html><html><body><h1>Thanks for shopping with us</h1><p>Ihre Bestellung über 42,00 € ist unterwegs.</p>' . str_repeat( '<p>Line item with a long description that goes on and on to exceed the line length limit of SMTP.</p>', 20 ) . '</body></html>',
			'headers' => "Content-Type: text/html\r\nReply-To: Café Shop <shop@example.com>\r\nFrom: Café Shop <shop@example.com>\r\n",
			'hooks'   => static function () {
				// WooCommerce sets the plain-text alternative in phpmailer_init for multipart mail.
				return hook(
					'phpmailer_init',
					static function ( $phpmailer ) {
						$phpmailer->AltBody = "Thanks for shopping with us\n\nIhre Bestellung über 42,00 € ist unterwegs.\n";
					}
				);
			},
		),
		'cf7-with-attachments' => array(
			'to'          => 'owner@example.com',
			'subject'     => 'smtpx test site "Question about pricing"',
			'message'     => "From: Jane Doe <jane@example.org>\nSubject: Question about pricing\n\nMessage Body:\nHello, how much is it?\n\n-- \nThis e-mail was sent from a contact form on smtpx test site\n",
			'headers'     => array( 'From: smtpx test site <wordpress@smtpx.test>', 'Reply-To: Jane Doe <jane@example.org>', 'X-WPCF7-Content-Type: text/plain' ),
			'attachments' => array( $pdf, $txt ),
		),
		'gravity-forms-cc-bcc' => array(
			'to'          => 'admin-one@example.com,admin-two@example.com',
			'subject'     => 'New submission from Contact Us',
			'message'     => '<html><body><table><tr><td>Name</td><td>Jürgen Groß</td></tr><tr><td>Email</td><td>j@example.de</td></tr></table></body></html>',
			'headers'     => array( 'Content-Type: text/html; charset=UTF-8', 'Cc: Sales Team <sales@example.com>', 'Bcc: archive@example.com', 'From: "Gravity Forms" <forms@example.com>' ),
			'attachments' => array( $csv ),
		),
		'filters-and-custom'   => array(
			'to'      => array( 'list-member@example.com' ),
			'subject' => 'Newsletter with a UTF-8 subject: Grüße aus Köln, 日本語も',
			'message' => "<p>Hello</p>\n.dot line\n",
			'headers' => array( 'X-Campaign: spring-2026', 'List-Unsubscribe: <mailto:unsubscribe@example.com>' ),
			'hooks'   => static function () {
				$removers = array(
					hook( 'wp_mail_content_type', static function () { return 'text/html'; } ),
					hook( 'wp_mail_from', static function () { return 'news@example.com'; } ),
					hook( 'wp_mail_from_name', static function () { return 'Newsletter Ñandú'; } ),
					hook(
						'wp_mail',
						static function ( $atts ) {
							$atts['subject'] .= ' [filtered]';
							return $atts;
						}
					),
				);
				return static function () use ( $removers ) {
					foreach ( $removers as $remove ) {
						$remove();
					}
				};
			},
		),
		'explicit-multipart'   => array(
			'to'      => 'reader@example.com',
			'subject' => 'Multipart built by the caller',
			'message' => "--caller-boundary-42\nContent-Type: text/plain; charset=UTF-8\n\nplain part\n--caller-boundary-42\nContent-Type: text/html; charset=UTF-8\n\n<p>html part</p>\n--caller-boundary-42--\n",
			'headers' => array( 'Content-Type: multipart/alternative; boundary="caller-boundary-42"' ),
		),
	);
}

/**
 * Sends one case with wp_mail(), tagged with an X-Smtpx-Test header.
 *
 * @param array  $case   A case from cases().
 * @param string $marker The X-Smtpx-Test value.
 */
function send_case( array $case, string $marker ): bool {
	$headers = $case['headers'];
	if ( is_array( $headers ) ) {
		$headers[] = "X-Smtpx-Test: $marker";
	} else {
		$headers .= "X-Smtpx-Test: $marker\r\n";
	}
	$unhook = isset( $case['hooks'] ) ? $case['hooks']() : static function () {};
	$sent   = wp_mail( $case['to'], $case['subject'], $case['message'], $headers, $case['attachments'] ?? array() );
	$unhook();
	return $sent;
}
