<?php
/**
 * Plugin Name:       smtpx
 * Description:       Sends every wp_mail() through the smtpx PHP extension: pooled, pipelined SMTP over whichever port your host allows, with presets for SendGrid, Mailgun, Google, Amazon SES, Postmark, Brevo and Microsoft 365.
 * Version:           0.1.0
 * Requires at least: 6.0
 * Requires PHP:      8.1
 * Author:            smtpx
 * License:           GPL-2.0-or-later
 * License URI:       https://www.gnu.org/licenses/gpl-2.0.html
 * Text Domain:       smtpx
 * Domain Path:       /languages
 *
 * @package Smtpx
 */

namespace Smtpx\WordPress;

defined( 'ABSPATH' ) || exit;

const VERSION     = '0.1.0';
const PLUGIN_FILE = __FILE__;

require_once __DIR__ . '/includes/class-presets.php';
require_once __DIR__ . '/includes/class-secret-box.php';
require_once __DIR__ . '/includes/class-settings.php';
require_once __DIR__ . '/includes/class-oauth-providers.php';
require_once __DIR__ . '/includes/class-oauth-token-endpoint.php';
require_once __DIR__ . '/includes/class-oauth-grant.php';
require_once __DIR__ . '/includes/class-oauth-token-provider.php';
require_once __DIR__ . '/includes/class-oauth-connect.php';
require_once __DIR__ . '/includes/class-failure-log.php';
require_once __DIR__ . '/includes/class-https-fallback.php';
require_once __DIR__ . '/includes/class-conflicts.php';
require_once __DIR__ . '/includes/class-smtp-failure.php';
require_once __DIR__ . '/includes/class-phpmailer-submission.php';
require_once __DIR__ . '/includes/class-message-fields.php';
require_once __DIR__ . '/includes/class-submission.php';
require_once __DIR__ . '/includes/class-outbox-schema.php';
require_once __DIR__ . '/includes/class-outbox.php';
require_once __DIR__ . '/includes/class-retry-policy.php';
require_once __DIR__ . '/includes/class-delivery.php';
require_once __DIR__ . '/includes/class-queue-runner.php';
require_once __DIR__ . '/includes/class-background-sending.php';
require_once __DIR__ . '/includes/class-outbox-log.php';
require_once __DIR__ . '/includes/class-message-view.php';
require_once __DIR__ . '/includes/class-stored-attachments.php';
require_once __DIR__ . '/includes/class-log-page.php';
require_once __DIR__ . '/includes/class-log-privacy.php';
require_once __DIR__ . '/includes/class-alerts.php';
require_once __DIR__ . '/includes/class-mailer-installer.php';
require_once __DIR__ . '/includes/class-from-address.php';
require_once __DIR__ . '/includes/class-settings-page.php';
require_once __DIR__ . '/includes/class-oauth-section.php';
require_once __DIR__ . '/includes/class-network-page.php';
require_once __DIR__ . '/includes/class-private-targets.php';
require_once __DIR__ . '/includes/class-test-email.php';
require_once __DIR__ . '/includes/class-ports-panel.php';
require_once __DIR__ . '/includes/class-dns-lookup.php';
require_once __DIR__ . '/includes/class-dkim-key.php';
require_once __DIR__ . '/includes/class-dkim-settings.php';
require_once __DIR__ . '/includes/class-dkim-signing.php';
require_once __DIR__ . '/includes/class-dkim-record.php';
require_once __DIR__ . '/includes/class-domain-check.php';
require_once __DIR__ . '/includes/class-record-copy.php';
require_once __DIR__ . '/includes/class-dkim-section.php';
require_once __DIR__ . '/includes/class-deliverability-panel.php';
require_once __DIR__ . '/includes/class-notices.php';
require_once __DIR__ . '/includes/class-site-health.php';
require_once __DIR__ . '/includes/class-plugin.php';

Plugin::boot();
