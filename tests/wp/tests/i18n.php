<?php
/**
 * Every translatable string of the plugin is in the text domain "smtpx": each call
 * of a translation function names it as its last argument. Read with PHP's own
 * tokenizer, so comments and strings that merely contain "__(" do not count.
 */

namespace SmtpxTest;

require __DIR__ . '/../lib/bootstrap.php';

const TRANSLATION_FUNCTIONS = array( '__', '_e', '_x', '_n', 'esc_html__', 'esc_html_e', 'esc_attr__', 'esc_attr_e', 'esc_html_x', 'esc_attr_x' );

/**
 * The last argument of each translation call in a file, as [function, line, last argument source].
 *
 * @return array<int, array{0: string, 1: int, 2: string}>
 */
function translation_calls( string $file ): array {
	$tokens = token_get_all( (string) file_get_contents( $file ) );
	$calls  = array();
	$count  = count( $tokens );
	for ( $i = 0; $i < $count; $i++ ) {
		if ( ! is_array( $tokens[ $i ] ) || T_STRING !== $tokens[ $i ][0] || ! in_array( $tokens[ $i ][1], TRANSLATION_FUNCTIONS, true ) ) {
			continue;
		}
		$j = $i + 1;
		while ( $j < $count && is_array( $tokens[ $j ] ) && T_WHITESPACE === $tokens[ $j ][0] ) {
			++$j;
		}
		if ( '(' !== ( $tokens[ $j ] ?? null ) ) {
			continue;
		}
		// Collect the top-level arguments up to the matching parenthesis.
		$depth = 0;
		$args  = array( '' );
		for ( ++$j; $j < $count; $j++ ) {
			$text = is_array( $tokens[ $j ] ) ? $tokens[ $j ][1] : $tokens[ $j ];
			if ( in_array( $text, array( '(', '[' ), true ) ) {
				++$depth;
			} elseif ( in_array( $text, array( ')', ']' ), true ) ) {
				if ( 0 === $depth-- ) {
					break;
				}
			} elseif ( ',' === $text && 0 === $depth ) {
				$args[] = '';
				continue;
			}
			$args[ count( $args ) - 1 ] .= $text;
		}
		$calls[] = array( $tokens[ $i ][1], $tokens[ $i ][2], trim( end( $args ) ) );
	}
	return $calls;
}

$plugin = dirname( __DIR__, 3 ) . '/wp-plugin/smtpx';
$files  = array_merge( glob( "$plugin/*.php" ), glob( "$plugin/includes/*.php" ) );
$total  = 0;
$wrong  = array();
foreach ( $files as $file ) {
	foreach ( translation_calls( $file ) as list( $function, $line, $domain ) ) {
		++$total;
		if ( "'smtpx'" !== $domain ) {
			$wrong[] = basename( $file ) . ":$line $function(... $domain)";
		}
	}
}
ok( $total > 100, "the plugin's strings are translatable ($total calls)" );
ok( array() === $wrong, 'every translation call names the text domain smtpx', implode( "\n", $wrong ) );
