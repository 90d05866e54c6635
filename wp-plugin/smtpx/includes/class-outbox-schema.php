<?php
/**
 * The outbox table: one row per message wp_mail() handed to smtpx, which is also
 * the email log. It lives in the site's database, never in files: the database is
 * shared by every web node of a site, backed up with it and never served over HTTP.
 *
 * Created with dbDelta() on activation and brought up to date whenever the stored
 * schema version differs from SCHEMA_VERSION (a plugin updated in place is never
 * activated again); on multisite each site gets its table the first time it loads.
 *
 * @package Smtpx
 */

namespace Smtpx\WordPress;

defined( 'ABSPATH' ) || exit;

/**
 * Creates and upgrades the outbox table.
 */
final class Outbox_Schema {

	/**
	 * Bump on every change of the CREATE TABLE below; dbDelta() adds what is missing.
	 */
	public const SCHEMA_VERSION = '3';
	public const VERSION_OPTION = 'smtpx_outbox_schema';

	/**
	 * The table's name on this site.
	 */
	public static function table(): string {
		global $wpdb;
		return $wpdb->prefix . 'smtpx_outbox';
	}

	/**
	 * Creates or upgrades the table when the stored version is not this one.
	 */
	public static function upgrade(): void {
		if ( get_option( self::VERSION_OPTION ) === self::SCHEMA_VERSION ) {
			return;
		}
		self::install();
	}

	/**
	 * Runs dbDelta() and records the version.
	 */
	public static function install(): void {
		global $wpdb;
		require_once ABSPATH . 'wp-admin/includes/upgrade.php';
		$table = self::table();
		// dbDelta()'s format: one column per line, two spaces after PRIMARY KEY, KEY not INDEX.
		// Times are Unix seconds of the web node's clock; queued_at starts the retry lifetime
		// (when stored, or resent by hand); lease_owner is a random token. fields holds the
		// message's fields (Message_Fields) only for mail whose route reaches an API that takes them.
		dbDelta(
			"CREATE TABLE {$table} (
  id bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  status varchar(10) NOT NULL DEFAULT 'queued',
  created_at int(10) unsigned NOT NULL DEFAULT 0,
  updated_at int(10) unsigned NOT NULL DEFAULT 0,
  queued_at int(10) unsigned NOT NULL DEFAULT 0,
  sent_at int(10) unsigned NOT NULL DEFAULT 0,
  attempts smallint(5) unsigned NOT NULL DEFAULT 0,
  next_attempt_at int(10) unsigned NOT NULL DEFAULT 0,
  lease_owner varchar(32) NOT NULL DEFAULT '',
  lease_expires_at int(10) unsigned NOT NULL DEFAULT 0,
  envelope_from varchar(320) NOT NULL DEFAULT '',
  envelope_to text NULL,
  message_id varchar(255) NOT NULL DEFAULT '',
  subject varchar(255) NOT NULL DEFAULT '',
  mime_bytes int(10) unsigned NOT NULL DEFAULT 0,
  mime longblob NULL,
  attachments_removed smallint(5) unsigned NOT NULL DEFAULT 0,
  mail_data mediumblob NULL,
  fields longblob NULL,
  connection varchar(10) NOT NULL DEFAULT '',
  final_reply text NULL,
  failure_phase varchar(20) NOT NULL DEFAULT '',
  failure_code smallint(5) unsigned NOT NULL DEFAULT 0,
  failure_status varchar(16) NOT NULL DEFAULT '',
  failure_message text NULL,
  failure_hint text NULL,
  PRIMARY KEY  (id),
  KEY due (status,next_attempt_at),
  KEY created_at (created_at)
) {$wpdb->get_charset_collate()};"
		);
		update_option( self::VERSION_OPTION, self::SCHEMA_VERSION, true );
	}
}
