<?php
/**
 * A DNS record shown as it must be published, with a Copy button (assets/copy-record.js;
 * without JavaScript the text is still there to select).
 *
 * @package Smtpx
 */

namespace Smtpx\WordPress;

defined( 'ABSPATH' ) || exit;

/**
 * Copyable record text.
 */
final class Record_Copy {

	/**
	 * The record and its button, escaped.
	 *
	 * @param string $text  The exact text to publish.
	 * @param string $class A class naming what it is, for tests and styles.
	 */
	public static function html( string $text, string $class ): string {
		wp_enqueue_script( 'smtpx-copy-record', plugins_url( 'assets/copy-record.js', PLUGIN_FILE ), array(), VERSION, true );
		return '<code class="smtpx-record ' . esc_attr( $class ) . '" style="word-break: break-all;">' . esc_html( $text ) . '</code> '
			. '<button type="button" class="button button-small smtpx-copy" data-copy="' . esc_attr( $text ) . '" data-copied="' . esc_attr__( 'Copied', 'smtpx' ) . '">' . esc_html__( 'Copy', 'smtpx' ) . '</button>';
	}
}
