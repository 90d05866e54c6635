<?php
/**
 * A webhook for the alerts test, run by PHP's built-in server: appends each request's
 * body as one line to the file named by SMTPX_WEBHOOK_LOG.
 */

file_put_contents( getenv( 'SMTPX_WEBHOOK_LOG' ), str_replace( "\n", ' ', (string) file_get_contents( 'php://input' ) ) . "\n", FILE_APPEND | LOCK_EX );
echo 'ok';
