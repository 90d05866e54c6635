<?php
/**
 * "Send test email": sends one mail through wp_mail() (so every filter and plugin
 * takes part, as for real mail) and shows what happened: the port and TLS version
 * used and the time taken, or the failure with the redacted transcript and a hint.
 *
 * @package Smtpx
 */

namespace Smtpx\WordPress;

defined( 'ABSPATH' ) || exit;

/**
 * The admin-post action and its result box.
 */
final class Test_Email {

	public const ACTION = 'smtpx_test_email';

	/**
	 * The admin_post_smtpx_test_email action.
	 */
	public static function handle(): void {
		if ( ! current_user_can( 'manage_options' ) ) {
			wp_die( esc_html__( 'You are not allowed to send test emails.', 'smtpx' ), 403 );
		}
		check_admin_referer( self::ACTION );

		$to      = sanitize_email( wp_unslash( (string) ( $_POST['smtpx_test_to'] ?? '' ) ) );
		$refusal = Private_Targets::refusal();
		if ( '' === $to ) {
			$refusal = __( 'Enter a valid email address to send the test to.', 'smtpx' );
		}
		$result = null === $refusal
			? self::send( $to )
			: array(
				'ok'      => false,
				'message' => $refusal,
			);
		set_transient( self::transient_key(), $result, 10 * MINUTE_IN_SECONDS );
		wp_safe_redirect( Settings_Page::url( array( 'smtpx-test' => '1' ) ) );
		exit;
	}

	/**
	 * Sends the test email and describes the outcome.
	 *
	 * @param string $to Recipient.
	 * @return array<string, mixed>
	 */
	public static function send( string $to ): array {
		$core_error = null;
		$listen     = static function ( $error ) use ( &$core_error ) {
			$core_error = $error;
		};
		add_action( 'wp_mail_failed', $listen );

		$mailer = Settings::routes_mail() ? Mailer_Installer::install() : null;
		if ( $mailer ) {
			$mailer->smtpx_debug = true;
		}
		$started = microtime( true );
		$sent    = wp_mail(
			$to,
			/* translators: %s: site title. */
			sprintf( __( 'smtpx test email from %s', 'smtpx' ), wp_specialchars_decode( get_bloginfo( 'name' ), ENT_QUOTES ) ),
			__( 'This is a test email sent by the smtpx plugin. If you can read it, WordPress can send mail.', 'smtpx' )
		);
		if ( $mailer ) {
			$mailer->smtpx_debug = false;
		}
		remove_action( 'wp_mail_failed', $listen );

		$outcome = array(
			'ok'      => $sent,
			'to'      => $to,
			'routed'  => null !== $mailer,
			'seconds' => microtime( true ) - $started,
		);
		if ( $mailer && $sent ) {
			$outcome['result'] = $mailer->smtpx_result;
		} elseif ( $mailer && $mailer->smtpx_failure ) {
			$outcome['failure'] = $mailer->smtpx_failure;
		}
		if ( ! $sent && $core_error instanceof \WP_Error ) {
			$outcome['message'] = $core_error->get_error_message();
		}
		return $outcome;
	}

	/**
	 * The form.
	 */
	public static function render_form(): void {
		$user = wp_get_current_user();
		?>
		<h2><?php esc_html_e( 'Send a test email', 'smtpx' ); ?></h2>
		<form action="<?php echo esc_url( admin_url( 'admin-post.php' ) ); ?>" method="post" id="smtpx-test-form">
			<input type="hidden" name="action" value="<?php echo esc_attr( self::ACTION ); ?>" />
			<?php wp_nonce_field( self::ACTION ); ?>
			<p>
				<label for="smtpx_test_to"><?php esc_html_e( 'Send to', 'smtpx' ); ?></label>
				<input type="email" class="regular-text" id="smtpx_test_to" name="smtpx_test_to" value="<?php echo esc_attr( $user->user_email ); ?>" />
				<?php submit_button( __( 'Send test email', 'smtpx' ), 'secondary', 'submit', false ); ?>
			</p>
		</form>
		<?php
	}

	/**
	 * The result of the last test email of this user, once.
	 */
	public static function render_result(): void {
		if ( ! isset( $_GET['smtpx-test'] ) ) { // Only selects what to display: no nonce needed.
			return;
		}
		$outcome = get_transient( self::transient_key() );
		delete_transient( self::transient_key() );
		if ( ! is_array( $outcome ) ) {
			return;
		}
		$class = $outcome['ok'] ? 'notice-success' : 'notice-error';
		echo '<div class="notice ' . esc_attr( $class ) . ' smtpx-test-result"><p><strong>';
		if ( $outcome['ok'] && ! empty( $outcome['result']['dropped'] ) ) {
			esc_html_e( 'Test email accepted and dropped: SMTPX_DO_NOT_SEND is set.', 'smtpx' );
		} elseif ( $outcome['ok'] && ! empty( $outcome['result'] ) ) {
			$result = $outcome['result'];
			printf(
				/* translators: 1: recipient, 2: host, 3: port, 4: TLS version, 5: seconds. */
				esc_html__( 'Test email sent to %1$s through %2$s port %3$s (%4$s) in %5$s s.', 'smtpx' ),
				esc_html( $outcome['to'] ),
				esc_html( (string) $result['host'] ),
				esc_html( (string) $result['port'] ),
				esc_html( $result['tls'] ? (string) $result['tls'] : __( 'no TLS', 'smtpx' ) ),
				esc_html( number_format_i18n( (float) $result['seconds'], 2 ) )
			);
		} elseif ( $outcome['ok'] ) {
			/* translators: %s: recipient. */
			printf( esc_html__( 'Test email sent to %s by WordPress\'s own mail path (smtpx is not in charge).', 'smtpx' ), esc_html( $outcome['to'] ) );
		} else {
			esc_html_e( 'The test email was not sent.', 'smtpx' );
		}
		echo '</strong></p>';

		if ( ! empty( $outcome['result']['reply'] ) ) {
			echo '<p>' . esc_html__( 'Server reply:', 'smtpx' ) . ' <code>' . esc_html( (string) $outcome['result']['reply'] ) . '</code>';
			if ( ! empty( $outcome['result']['reused'] ) ) {
				echo ' ' . esc_html__( '(on a connection kept open from an earlier mail)', 'smtpx' );
			}
			if ( 'fallback' === ( $outcome['result']['connection'] ?? '' ) ) {
				echo ' ' . esc_html__( '(through the fallback connection: the first one failed)', 'smtpx' );
			}
			echo '</p>';
		}
		if ( ! empty( $outcome['failure'] ) ) {
			$failure = $outcome['failure'];
			if ( '' !== (string) ( $failure['hint'] ?? '' ) ) {
				echo '<p class="smtpx-hint">' . esc_html( $failure['hint'] ) . '</p>';
			}
			printf(
				'<p>%s <code>%s</code></p>',
				esc_html(
					sprintf(
						/* translators: 1: connection, 2: host, 3: SMTP step. */
						__( 'Connection %1$s (%2$s), step %3$s:', 'smtpx' ),
						(string) ( $failure['connection'] ?? '' ),
						(string) ( $failure['host'] ?? '' ),
						(string) $failure['phase']
					)
				),
				esc_html( (string) $failure['message'] )
			);
			if ( '' !== (string) ( $failure['transcript'] ?? '' ) ) {
				echo '<details><summary>' . esc_html__( 'Transcript (passwords removed)', 'smtpx' ) . '</summary><pre style="white-space: pre-wrap">' . esc_html( $failure['transcript'] ) . '</pre></details>';
			}
		} elseif ( ! empty( $outcome['message'] ) ) {
			echo '<p><code>' . esc_html( $outcome['message'] ) . '</code></p>';
		}
		echo '</div>';
	}

	/**
	 * One result per user.
	 */
	private static function transient_key(): string {
		return 'smtpx_test_' . get_current_user_id();
	}
}
