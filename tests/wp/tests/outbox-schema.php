<?php
/**
 * The outbox table: created on activation with dbDelta(), brought up to date when the
 * stored schema version differs (a plugin updated in place), its cron event scheduled
 * and removed on deactivation; without a usable table mail still goes out.
 */

namespace SmtpxTest;

use Smtpx\WordPress\Background_Sending;
use Smtpx\WordPress\Outbox_Schema;
use Smtpx\WordPress\Plugin;

require __DIR__ . '/../lib/bootstrap.php';

global $wpdb;
$table   = Outbox_Schema::table();
$columns = static function () use ( $wpdb, $table ): array {
	return $wpdb->get_col( "SHOW COLUMNS FROM $table" ) ?: array();
};
$exists  = static function () use ( $wpdb, $table ): bool {
	return $table === $wpdb->get_var( $wpdb->prepare( 'SHOW TABLES LIKE %s', $table ) );
};

ok( $exists(), 'the table exists' );
is( get_option( Outbox_Schema::VERSION_OPTION ), Outbox_Schema::SCHEMA_VERSION, 'its schema version is recorded' );
$expected = array( 'id', 'status', 'created_at', 'queued_at', 'sent_at', 'attempts', 'next_attempt_at', 'lease_owner', 'lease_expires_at', 'envelope_from', 'envelope_to', 'message_id', 'subject', 'mime', 'attachments_removed', 'mail_data', 'fields', 'final_reply', 'failure_phase', 'failure_code', 'failure_status', 'failure_message', 'failure_hint' );
is( array_values( array_diff( $expected, $columns() ) ), array(), 'it has the columns of issue 11, and fields (issue 12)' );
is( $wpdb->get_var( "SELECT ENGINE FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '$table'" ), 'InnoDB', 'InnoDB: row locks for the leases' );

// An older schema (a plugin updated in place): the next request upgrades it.
$wpdb->query( "ALTER TABLE $table DROP COLUMN failure_hint" );
update_option( Outbox_Schema::VERSION_OPTION, '0' );
Plugin::upgrade();
ok( in_array( 'failure_hint', $columns(), true ), 'upgrade: a missing column is added' );
is( get_option( Outbox_Schema::VERSION_OPTION ), Outbox_Schema::SCHEMA_VERSION, 'upgrade: the version is recorded' );

// Schema 2 (before the message's fields were kept for the JSON APIs): its rows stay, and read without fields.
$wpdb->query( "ALTER TABLE $table DROP COLUMN fields" );
update_option( Outbox_Schema::VERSION_OPTION, '2' );
$wpdb->insert( $table, array( 'status' => 'sent', 'subject' => 'Schema 2', 'mime' => gzdeflate( "Subject: Schema 2\r\n\r\nbody\r\n" ), 'mail_data' => gzdeflate( '{}' ), 'envelope_to' => '[]' ) );
$old_row = (int) $wpdb->insert_id;
Plugin::upgrade();
ok( in_array( 'fields', $columns(), true ), 'upgrade from schema 2: the fields column is added' );
is( $wpdb->get_var( "SHOW COLUMNS FROM $table LIKE 'fields'", 1 ), 'longblob', 'upgrade from schema 2: a longblob, as mime (attachments)' );
is( get_option( Outbox_Schema::VERSION_OPTION ), '3', 'upgrade from schema 2: version 3 recorded' );
$read = \Smtpx\WordPress\Outbox::get( $old_row );
is( array( $read['subject'] ?? null, is_array( $read ) && array_key_exists( 'fields', $read ) ? $read['fields'] : 'missing' ), array( 'Schema 2', null ), 'upgrade from schema 2: an old row reads, without fields' );
$wpdb->delete( $table, array( 'id' => $old_row ) );

// Activation creates it.
$wpdb->query( "DROP TABLE $table" );
delete_option( Outbox_Schema::VERSION_OPTION );
Background_Sending::unschedule();
Plugin::activate();
ok( $exists(), 'activation: the table is created' );
ok( false !== wp_next_scheduled( Background_Sending::CRON_HOOK ), 'activation: smtpx_queue_run is scheduled' );

// Deactivation removes the event; the plugin's next load schedules it again.
do_action( 'deactivate_smtpx/smtpx.php' );
is( wp_next_scheduled( Background_Sending::CRON_HOOK ), false, 'deactivation: the event is removed' );
Plugin::upgrade();
ok( false !== wp_next_scheduled( Background_Sending::CRON_HOOK ), 'load: the event is scheduled again' );

// Without a usable table mail is still sent (and the table is back at the next upgrade).
$wpdb->query( "DROP TABLE $table" );
use_connection( postfix_submission() );
$marker = marker( 'no-table' );
$wpdb->suppress_errors( true );
is( wp_mail( 'reader@example.com', 'No outbox', 'body', array( "X-Smtpx-Test: $marker" ) ), true, 'no table: wp_mail() returns true' );
$wpdb->suppress_errors( false );
is( count( delivered( $marker ) ), 1, 'no table: delivered anyway' );
delete_option( Outbox_Schema::VERSION_OPTION );
Plugin::upgrade();
ok( $exists(), 'no table: the next load creates it' );
