dnl smtpx: SMTP submission for PHP, a C++17 core with a thin Zend layer.

PHP_ARG_ENABLE([smtpx],
  [whether to enable smtpx support],
  [AS_HELP_STRING([--enable-smtpx], [Enable smtpx, fast and safe SMTP submission])],
  [no])

if test "$PHP_SMTPX" != "no"; then
  PHP_REQUIRE_CXX()
  PHP_CXX_COMPILE_STDCXX(17, mandatory, PHP_SMTPX_STDCXX)

  dnl OpenSSL 3.0: SSL_OP_IGNORE_UNEXPECTED_EOF and the BIO_meth/SSL_*_ex calls src/core/net/tls.cc uses.
  PKG_CHECK_MODULES([SMTPX_OPENSSL], [openssl >= 3.0])
  PHP_EVAL_INCLINE($SMTPX_OPENSSL_CFLAGS)
  PHP_EVAL_LIBLINE($SMTPX_OPENSSL_LIBS, SMTPX_SHARED_LIBADD)
  dnl libcurl 7.85: CURLOPT_PROTOCOLS_STR (https only) for the HTTPS API transports (src/core/http).
  PKG_CHECK_MODULES([SMTPX_CURL], [libcurl >= 7.85])
  PHP_EVAL_INCLINE($SMTPX_CURL_CFLAGS)
  PHP_EVAL_LIBLINE($SMTPX_CURL_LIBS, SMTPX_SHARED_LIBADD)
  PHP_ADD_LIBRARY(stdc++, 1, SMTPX_SHARED_LIBADD)
  dnl res_nquery and ns_parse for smtpx_domain_check() (src/core/dns).
  PHP_ADD_LIBRARY(resolv, 1, SMTPX_SHARED_LIBADD)
  PHP_SUBST(SMTPX_SHARED_LIBADD)

  smtpx_core_sources="
    src/core/error.cc
    src/core/reply.cc
    src/core/capabilities.cc
    src/core/address.cc
    src/core/message.cc
    src/core/body_source.cc
    src/core/line_breaks.cc
    src/core/text/ascii.cc
    src/core/text/utf8.cc
    src/core/text/escape.cc
    src/core/private_files.cc
    src/core/digest.cc
    src/core/net/deadline.cc
    src/core/net/process_owner.cc
    src/core/net/socket.cc
    src/core/net/tls.cc
    src/core/net/connection.cc
    src/core/smtp/transcript.cc
    src/core/smtp/failure.cc
    src/core/smtp/session.cc
    src/core/smtp/auth.cc
    src/core/smtp/data_encoder.cc
    src/core/smtp/transaction.cc
    src/core/smtp/dsn.cc
    src/core/mime/encoders.cc
    src/core/mime/mime_types.cc
    src/core/mime/message_headers.cc
    src/core/mime/attachment_file.cc
    src/core/mime/writer.cc
    src/core/http/https_client.cc
    src/core/api/json.cc
    src/core/api/json_message.cc
    src/core/api/provider.cc
    src/core/api/sendgrid.cc
    src/core/api/mailgun.cc
    src/core/api/ses.cc
    src/core/api/sigv4.cc
    src/core/api/postmark.cc
    src/core/api/brevo.cc
    src/core/oauth/token_endpoint.cc
    src/core/oauth/token_cache.cc
    src/core/oauth/sealed_refresh_token.cc
    src/core/dkim/canonical.cc
    src/core/dkim/signer.cc
    src/core/dkim/signed_message.cc
    src/core/delivery/transport.cc
    src/core/delivery/mailer.cc
    src/core/delivery/api_delivery.cc
    src/core/delivery/api_answer.cc
    src/core/delivery/port_race.cc
    src/core/delivery/port_memory.cc
    src/core/delivery/pool.cc
    src/core/delivery/port_tallies.cc
    src/core/delivery/probe.cc
    src/core/dns/answer.cc
    src/core/dns/resolver.cc
    src/core/deliverability/domain_check.cc
  "
  smtpx_php_sources="
    src/php/module.cc
    src/php/ini.cc
    src/php/call.cc
    src/php/functions.cc
    src/php/pool_functions.cc
    src/php/probe_function.cc
    src/php/client.cc
    src/php/exceptions.cc
    src/php/convert.cc
    src/php/results.cc
    src/php/domain_check_function.cc
  "

  PHP_NEW_EXTENSION(smtpx, $smtpx_core_sources $smtpx_php_sources, $ext_shared,,
    [-DZEND_ENABLE_STATIC_TSRMLS_CACHE=1 $PHP_SMTPX_STDCXX], cxx)
  PHP_ADD_BUILD_DIR([$ext_builddir/src/core/text $ext_builddir/src/core/net $ext_builddir/src/core/smtp $ext_builddir/src/core/mime $ext_builddir/src/core/http $ext_builddir/src/core/api $ext_builddir/src/core/oauth $ext_builddir/src/core/dkim $ext_builddir/src/core/dns $ext_builddir/src/core/deliverability $ext_builddir/src/core/delivery $ext_builddir/src/php], 1)
fi
