<?php
/**
 * The From domain's DNS, checked for what receivers look at: smtpx_domain_check()
 * (SPF and whether it authorizes the provider, the DKIM key, DMARC, MX), given the
 * primary connection with the site's DKIM key and the nameserver of Dns_Lookup.
 * Without the extension only the DKIM record is checked (Dkim_Record), and the report
 * says the rest needs the extension.
 *
 * DNS can be slow, so a report is kept for an hour (a transient) and made again only
 * when asked (the Deliverability panel's button, DKIM's Verify) or when the settings
 * change; Site Health reads it asynchronously.
 *
 * @package Smtpx
 */

namespace Smtpx\WordPress;

defined( 'ABSPATH' ) || exit;

/**
 * The domain check and its cached report.
 */
final class Domain_Check {

	public const TRANSIENT = 'smtpx_domain_check';

	/**
	 * Whether the extension can check the whole domain.
	 */
	public static function available(): bool {
		return function_exists( 'smtpx_domain_check' );
	}

	/**
	 * The domain of the From address, or of this site when none is set.
	 */
	public static function from_domain(): string {
		$from = (string) Settings::value( 'from_email' );
		if ( str_contains( $from, '@' ) ) {
			return strtolower( substr( $from, strrpos( $from, '@' ) + 1 ) );
		}
		$host = strtolower( (string) wp_parse_url( network_home_url(), PHP_URL_HOST ) );
		return str_starts_with( $host, 'www.' ) ? substr( $host, 4 ) : $host;
	}

	/**
	 * The report: the kept one, or a new one when none is kept or $fresh.
	 *
	 * @param bool $fresh Ask the DNS again.
	 * @return array{domain: string, findings: array<int, array<string, mixed>>, error: string, complete: bool, checked: int}
	 */
	public static function report( bool $fresh = false ): array {
		$report = $fresh ? false : get_transient( self::TRANSIENT );
		if ( ! is_array( $report ) || ( $report['domain'] ?? '' ) !== self::from_domain() ) {
			$report = self::run();
			set_transient( self::TRANSIENT, $report, HOUR_IN_SECONDS );
		}
		return $report;
	}

	/**
	 * The kept report, null when there is none (nothing is asked of the DNS).
	 *
	 * @return array<string, mixed>|null
	 */
	public static function kept(): ?array {
		$report = get_transient( self::TRANSIENT );
		return is_array( $report ) ? $report : null;
	}

	/**
	 * Forgets the kept report (the settings or the key changed).
	 */
	public static function forget(): void {
		delete_transient( self::TRANSIENT );
	}

	/**
	 * Asks the DNS.
	 *
	 * @return array{domain: string, findings: array<int, array<string, mixed>>, error: string, complete: bool, checked: int}
	 */
	private static function run(): array {
		$domain = self::from_domain();
		$key    = Dkim_Settings::key();
		$report = array(
			'domain'   => $domain,
			'findings' => array(),
			'error'    => '',
			'complete' => self::available(),
			'checked'  => time(),
		);
		if ( ! Dkim_Settings::is_domain( $domain ) || false !== filter_var( $domain, FILTER_VALIDATE_IP ) ) {
			/* translators: %s: what the From address ends with, e.g. localhost. */
			$report['error'] = sprintf( __( 'The From address is not on a domain name (%s), so receivers have no DNS to check it against: set a From address on your own domain under Settings > smtpx.', 'smtpx' ), $domain );
			return $report;
		}
		if ( self::available() ) {
			$transport  = Settings::transport( 'primary' );
			$transport  = Dkim_Signing::add_to_transport( false === $transport ? null : $transport );
			$nameserver = Dns_Lookup::nameserver();
			try {
				$checked            = smtpx_domain_check( $domain, $transport, '' === $nameserver ? array() : array( 'nameserver' => $nameserver ) );
				$report['findings'] = $checked['findings'];
			} catch ( \ValueError | \TypeError | \Smtpx\Exception $failure ) {
				$report['error'] = $failure->getMessage();
			}
			if ( null === $key || is_array( $transport ) ) {
				return self::with_key_problem( $report );
			}
		}
		// The extension was not given the key (a DSN connection), or is not there: the plugin asks itself.
		$report['findings'] = array_values(
			array_filter(
				$report['findings'],
				static function ( $finding ) {
					return 'dkim' !== $finding['check'];
				}
			)
		);
		if ( null !== $key ) {
			$report['findings'][] = Dkim_Record::finding( $key );
		}
		return self::with_key_problem( $report );
	}

	/**
	 * The report with a finding for a configured key that cannot sign.
	 *
	 * @param array<string, mixed> $report The report.
	 * @return array<string, mixed>
	 */
	private static function with_key_problem( array $report ): array {
		$problem = Dkim_Settings::problem();
		if ( '' !== $problem ) {
			$report['findings'][] = array(
				'check'    => 'dkim',
				'severity' => 'error',
				'message'  => $problem,
				'record'   => null,
			);
		}
		return $report;
	}
}
