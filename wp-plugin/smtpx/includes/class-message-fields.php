<?php
/**
 * The message's fields for the HTTPS APIs that take fields instead of MIME (SendGrid,
 * Postmark, Brevo: the extension's JSON APIs). They are read from PHPMailer in the
 * request, once every filter and phpmailer_init ran and PHPMailer composed the message,
 * so they say what the MIME says: From, To, Cc, Bcc, Reply-To, Subject, the text and
 * HTML bodies, the custom headers, the attachments and the inline parts with their
 * Content-ID, in UTF-8.
 *
 * Only a message whose route reaches such an API needs them (the primary or the fallback
 * connection is one, or falls back to one, or is SendGrid's or Postmark's SMTP host, which
 * the extension falls back from to their API by itself): that message goes to
 * smtpx_send() with its fields, every other one to smtpx_send_raw() with its MIME. What
 * an API cannot carry the extension refuses with a ValueError naming the field, before
 * anything is sent (Delivery: failed for good, with that text).
 *
 * A message whose body the caller built as MIME (wp_mail() given a multipart Content-Type
 * with its boundary), or with an iCalendar part (PHPMailer's Ical), has no fields: only its
 * MIME says it, and it goes as MIME. The Message-ID is the extension's (or the provider's):
 * smtpx_send() sets it, so one PHPMailer was given is not kept.
 *
 * The outbox keeps them beside the MIME (compressed JSON, attachment bytes in base64), so
 * a retry or a resend sends the same fields.
 *
 * @package Smtpx
 */

namespace Smtpx\WordPress;

use PHPMailer\PHPMailer\PHPMailer;

defined( 'ABSPATH' ) || exit;

/**
 * Reads, stores and hands over a message's fields.
 */
final class Message_Fields {

	/**
	 * The extension's APIs that take the message's fields, not MIME.
	 */
	public const JSON_APIS = array( 'sendgrid', 'postmark', 'brevo' );

	/**
	 * SMTP hosts the extension falls back from to their provider's JSON API by itself
	 * (smtpx_send() only; the transport key api_fallback false turns that off).
	 */
	private const IMPLIED_API_HOSTS = array( 'smtp.sendgrid.net', 'smtp.postmarkapp.com' );

	/**
	 * Headers PHPMailer writes itself whatever the custom headers say, as smtpx_send()
	 * does: a custom one is a second copy in the MIME, which the extension would refuse.
	 */
	private const COMPOSED_HEADERS = array( 'mime-version', 'content-transfer-encoding', 'date', 'message-id' );

	/**
	 * Whether a message sent now may reach a JSON API, so its fields must be kept.
	 */
	public static function needed(): bool {
		if ( ! Settings::extension_loaded() ) {
			return false; // PHPMailer's SMTP client sends the MIME; no API without the extension.
		}
		foreach ( Settings::CONNECTIONS as $connection ) {
			if ( self::reaches_json_api( Settings::transport( $connection ) ) ) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Whether a transport is a JSON API, falls back to one, or is an SMTP host the
	 * extension falls back from to one. A DSN (SMTPX_DSN, smtpx.dsn) reaches one only by
	 * its scheme (sendgrid+api://): over SMTP it keeps the MIME PHPMailer composed and
	 * signed (Dkim_Signing), without the extension's implied API fallback (a raw send skips it).
	 *
	 * @param array<string, mixed>|string|null|false $transport As Settings::transport() gives it.
	 */
	public static function reaches_json_api( $transport ): bool {
		if ( null === $transport ) {
			$transport = Settings::ini_dsn();
		}
		if ( is_string( $transport ) ) {
			$scheme = strtolower( (string) wp_parse_url( $transport, PHP_URL_SCHEME ) );
			return in_array( $scheme, array_map( static fn( $api ) => $api . '+api', self::JSON_APIS ), true );
		}
		if ( ! is_array( $transport ) ) {
			return false;
		}
		if ( isset( $transport['api'] ) ) {
			return in_array( $transport['api'], self::JSON_APIS, true );
		}
		if ( isset( $transport['fallback'] ) ) {
			return self::reaches_json_api( $transport['fallback'] );
		}
		return false !== ( $transport['api_fallback'] ?? true ) && in_array( strtolower( (string) ( $transport['host'] ?? '' ) ), self::IMPLIED_API_HOSTS, true );
	}

	/**
	 * A transport for smtpx_send_raw(): without a JSON API as its fallback, which the
	 * extension would refuse for MIME (a message stored before its route reached one).
	 *
	 * @param array<string, mixed>|string|null|false $transport The connection's transport.
	 * @return array<string, mixed>|string|null|false
	 */
	public static function for_raw( $transport ) {
		if ( is_array( $transport ) && isset( $transport['fallback'] ) && self::reaches_json_api( $transport['fallback'] ) ) {
			unset( $transport['fallback'] );
		}
		return $transport;
	}

	/**
	 * The fields of the message PHPMailer composed (call after preSend()).
	 *
	 * @param PHPMailer $mailer The mailer.
	 * @return array<string, mixed>|null smtpx_send()'s message keys, attachment bytes in base64
	 *                                   (data64); null for a body the caller built as MIME.
	 */
	public static function of( PHPMailer $mailer ): ?array {
		$headers = $mailer->getCustomHeaders();
		if ( '' !== $mailer->Ical || in_array( 'content-type', array_map( 'strtolower', array_map( 'trim', array_column( $headers, 0 ) ) ), true ) ) {
			return null; // A calendar part, or wp_mail()'s multipart body with the caller's boundary.
		}
		// Headers PHPMailer writes from its properties.
		if ( null !== $mailer->Priority ) {
			$headers[] = array( 'X-Priority', (string) $mailer->Priority );
		}
		if ( '' !== $mailer->ConfirmReadingTo ) {
			$headers[] = array( 'Disposition-Notification-To', '<' . $mailer->ConfirmReadingTo . '>' );
		}
		// Strings in PHPMailer's charset (blog_charset, wp_mail_charset), taken as UTF-8 when it
		// is that or names none PHP knows (an empty one included).
		$charset = in_array( strtolower( $mailer->CharSet ), array_map( 'strtolower', mb_list_encodings() ), true ) ? strtoupper( $mailer->CharSet ) : 'UTF-8';
		$utf8    = static function ( $text ) use ( $charset ): string {
			return 'UTF-8' === $charset ? (string) $text : (string) mb_convert_encoding( (string) $text, 'UTF-8', $charset );
		};
		$mailboxes = static function ( array $addresses ) use ( $utf8 ): array {
			$list = array();
			foreach ( $addresses as $address ) {
				$list[] = self::mailbox( (string) $address[0], $utf8( $address[1] ?? '' ) );
			}
			return $list;
		};
		$fields = array(
			'from'     => self::mailbox( $mailer->From, $utf8( $mailer->FromName ) ),
			'to'       => $mailboxes( $mailer->getToAddresses() ),
			'cc'       => $mailboxes( $mailer->getCcAddresses() ),
			'bcc'      => $mailboxes( $mailer->getBccAddresses() ),
			'reply_to' => $mailboxes( array_values( $mailer->getReplyToAddresses() ) ),
			'subject'  => $utf8( $mailer->Subject ),
		);
		// Over SMTP the envelope sender PHPMailer was given; a JSON API refuses it by name.
		if ( '' !== $mailer->Sender && strtolower( $mailer->Sender ) !== strtolower( $mailer->From ) ) {
			$fields['sender'] = $mailer->Sender;
		}
		// An AltBody makes the Body HTML (preSend() then says multipart/alternative).
		if ( '' !== $mailer->AltBody ) {
			$fields['html'] = $utf8( $mailer->Body );
			$fields['text'] = $utf8( $mailer->AltBody );
		} elseif ( 'text/html' === strtolower( $mailer->ContentType ) ) {
			$fields['html'] = $utf8( $mailer->Body );
		} else {
			$fields['text'] = $utf8( $mailer->Body );
		}
		foreach ( $headers as $header ) {
			if ( ! in_array( strtolower( trim( (string) $header[0] ) ), self::COMPOSED_HEADERS, true ) ) {
				$fields['headers'][ trim( (string) $header[0] ) ][] = $utf8( $header[1] );
			}
		}
		// PHPMailer's attachment: 0 path or bytes, 2 name, 4 type, 5 bytes given, 6 disposition, 7 Content-ID.
		foreach ( $mailer->getAttachments() as $attachment ) {
			$bytes = $attachment[5] ? (string) $attachment[0] : (string) file_get_contents( (string) $attachment[0] );
			$part  = array(
				'data64' => base64_encode( $bytes ), // phpcs:ignore Generic.PHP.ForbiddenFunctions.Found -- binary bytes in JSON.
				'name'   => $utf8( $attachment[2] ),
				'type'   => (string) $attachment[4],
			);
			if ( 'inline' === $attachment[6] && '' !== (string) $attachment[7] ) {
				$part['inline'] = (string) $attachment[7];
			}
			$fields['attachments'][] = $part;
		}
		return array_filter(
			$fields,
			static function ( $value ) {
				return array() !== $value;
			}
		);
	}

	/**
	 * smtpx_send()'s message from stored fields.
	 *
	 * @param array<string, mixed> $fields From of().
	 * @return array<string, mixed>
	 */
	public static function message( array $fields ): array {
		foreach ( $fields['attachments'] ?? array() as $i => $part ) {
			$part['data'] = (string) base64_decode( (string) $part['data64'], true ); // phpcs:ignore Generic.PHP.ForbiddenFunctions.Found -- of() encoded it.
			unset( $part['data64'] );
			$fields['attachments'][ $i ] = $part;
		}
		return $fields;
	}

	/**
	 * The fields as the outbox stores them.
	 *
	 * @param array<string, mixed> $fields From of().
	 */
	public static function pack( array $fields ): string {
		return gzdeflate( (string) wp_json_encode( $fields, JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES | JSON_INVALID_UTF8_SUBSTITUTE ), 6 );
	}

	/**
	 * Stored fields, or null for a row stored without them.
	 *
	 * @param string|null $packed The column.
	 * @return array<string, mixed>|null
	 */
	public static function unpack( ?string $packed ): ?array {
		if ( null === $packed || '' === $packed ) {
			return null;
		}
		$fields = json_decode( (string) gzinflate( $packed ), true );
		return is_array( $fields ) ? $fields : null;
	}

	/**
	 * "Name <address>", the name quoted so that commas and brackets in it stay the name.
	 *
	 * @param string $address The address.
	 * @param string $name    The display name, UTF-8, or "".
	 */
	private static function mailbox( string $address, string $name ): string {
		return '' === $name ? $address : '"' . addcslashes( $name, '"\\' ) . '" <' . $address . '>';
	}
}
