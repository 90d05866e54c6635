/**
 * Settings > smtpx: the Copy buttons next to DNS records put the exact record on the
 * clipboard, so nothing is mistyped into the DNS panel.
 */
( function () {
	'use strict';
	document.addEventListener( 'click', function ( event ) {
		var button = event.target.closest( 'button.smtpx-copy' );
		if ( ! button ) {
			return;
		}
		var text = button.getAttribute( 'data-copy' );
		var done = function () {
			button.textContent = button.getAttribute( 'data-copied' );
		};
		if ( navigator.clipboard && window.isSecureContext ) {
			navigator.clipboard.writeText( text ).then( done );
			return;
		}
		// Plain http: the older way, through a selected text field.
		var field = document.createElement( 'textarea' );
		field.value = text;
		document.body.appendChild( field );
		field.select();
		if ( document.execCommand( 'copy' ) ) {
			done();
		}
		document.body.removeChild( field );
	} );
}() );
