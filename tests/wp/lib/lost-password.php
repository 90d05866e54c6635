<?php
/**
 * A real request that sends mail: the lost-password form of wp-login.php, posted for the
 * admin through nginx and PHP-FPM. Needs no WordPress in the calling process.
 */

namespace SmtpxTest;

/**
 * Posts the form; returns the response's headers, or null when no response came.
 *
 * @param string $site The site's URL, e.g. http://127.0.0.1:18080.
 * @return string[]|null A "Location: ...checkemail=confirm" among them says the mail is on its way.
 */
function request_password_reset( string $site ): ?array {
	$context  = stream_context_create(
		array(
			'http' => array(
				'method'          => 'POST',
				'header'          => 'Content-Type: application/x-www-form-urlencoded',
				'content'         => 'user_login=admin&redirect_to=&wp-submit=Get+New+Password',
				'follow_location' => 0,
				'ignore_errors'   => true,
				'timeout'         => 20,
			),
		)
	);
	$response = file_get_contents( "$site/wp-login.php?action=lostpassword", false, $context );
	return false === $response ? null : $http_response_header;
}
