/**
 * Settings > smtpx: shows only the fields the chosen provider uses (region for
 * Amazon SES, host and TLS for Other SMTP, "Send over" for providers with an
 * HTTPS API, over which no ports or authentication are asked, and the fallback
 * API key where the API takes another secret than SMTP; nothing for "No
 * fallback") and its hints for user name and secret. Without JavaScript every
 * field stays visible, with the hints the page was rendered with.
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
		var transport = document.getElementById( prefix + 'transport' );
		var api = !! ( preset && preset.api && transport && 'api' === transport.value );
		[ 'transport', 'region', 'host', 'ports', 'auth', 'username', 'password', 'api_key', 'tls' ].forEach( function ( field ) {
			var visible = !! preset;
			if ( 'transport' === field ) {
				visible = !! ( preset && preset.api );
			} else if ( 'region' === field ) {
				visible = !! ( preset && preset.region );
			} else if ( 'host' === field || 'tls' === field ) {
				visible = !! ( preset && '' === preset.host );
			} else if ( 'ports' === field || 'auth' === field ) {
				visible = !! preset && ! api;
			} else if ( 'username' === field ) {
				visible = !! ( preset && ( api ? preset.api_user : ! preset.user ) );
			} else if ( 'api_key' === field ) {
				visible = !! ( preset && preset.api_key && ! api );
			}
			show( prefix + field, visible );
		} );
		if ( preset ) {
			hint( prefix + 'username', api ? preset.api_user_hint : preset.user_hint );
			hint( prefix + 'password', api ? preset.api_secret_hint : preset.secret_hint );
			hint( prefix + 'ports', preset.ports_hint );
			hint( prefix + 'transport', preset.transport_hint );
			hint( prefix + 'api_key', preset.api_key_hint );
		}
	}

	document.addEventListener( 'DOMContentLoaded', function () {
		[ 'primary', 'fallback' ].forEach( function ( connection ) {
			var select = document.getElementById( 'smtpx_' + connection + '_preset' );
			if ( select ) {
				select.addEventListener( 'change', function () {
					update( connection );
				} );
				var transport = document.getElementById( 'smtpx_' + connection + '_transport' );
				if ( transport ) {
					// The page renders the API's hints for a saved API choice; a switch shows the fields.
					transport.addEventListener( 'change', function () {
						update( connection );
					} );
				}
				update( connection );
			}
		} );
	} );
}() );
