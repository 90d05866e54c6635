/**
 * Settings > smtpx: shows only the fields the chosen provider uses (region for
 * Amazon SES, host and TLS for Other SMTP, nothing for "No fallback") and its
 * hints for user name and secret. Without JavaScript every field stays visible.
 */
( function () {
	'use strict';
	var presets = window.smtpxPresets || {};

	function row( id ) {
		var field = document.getElementById( id );
		return field ? field.closest( 'tr' ) : null;
	}

	function show( id, visible ) {
		var tr = row( id );
		if ( tr ) {
			tr.style.display = visible ? '' : 'none';
		}
	}

	function hint( id, text ) {
		var tr = row( id );
		if ( ! tr || ! text || tr.querySelector( 'p.smtpx-locked' ) ) {
			return;
		}
		var description = tr.querySelector( 'p.description' );
		if ( ! description ) {
			description = document.createElement( 'p' );
			description.className = 'description';
			tr.querySelector( 'td' ).appendChild( description );
		}
		description.textContent = text;
	}

	function update( connection ) {
		var select = document.getElementById( 'smtpx_' + connection + '_preset' );
		if ( ! select || select.disabled ) {
			return;
		}
		var preset = presets[ select.value ];
		var prefix = 'smtpx_' + connection + '_';
		[ 'region', 'host', 'ports', 'auth', 'username', 'password', 'tls' ].forEach( function ( field ) {
			var visible = !! preset;
			if ( 'region' === field ) {
				visible = !! ( preset && preset.region );
			} else if ( 'host' === field || 'tls' === field ) {
				visible = !! ( preset && '' === preset.host );
			} else if ( 'username' === field ) {
				visible = !! ( preset && ! preset.user );
			}
			show( prefix + field, visible );
		} );
		if ( preset ) {
			hint( prefix + 'username', preset.user_hint );
			hint( prefix + 'password', preset.secret_hint );
			hint( prefix + 'ports', preset.ports_hint );
		}
	}

	document.addEventListener( 'DOMContentLoaded', function () {
		[ 'primary', 'fallback' ].forEach( function ( connection ) {
			var select = document.getElementById( 'smtpx_' + connection + '_preset' );
			if ( select ) {
				select.addEventListener( 'change', function () {
					update( connection );
				} );
				update( connection );
			}
		} );
	} );
}() );
