// smtpx_send(), smtpx_send_raw() and smtpx_compose(): each converts its
// arguments, runs the core once and converts the result back (call.h).
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "../../php_smtpx.h"
#include "../core/delivery/mailer.h"
#include "../core/mime/writer.h"
#include "call.h"
#include "convert.h"
#include "results.h"

using namespace smtpx::php;
using smtpx::delivery::Mailer;
using smtpx::delivery::Pool;
using smtpx::delivery::SendResult;

ZEND_FUNCTION(smtpx_send) {
  HashTable* message;
  HashTable* transport_array = nullptr;
  zend_string* transport_dsn = nullptr;
  ZEND_PARSE_PARAMETERS_START(1, 2)
  Z_PARAM_ARRAY_HT(message)
  Z_PARAM_OPTIONAL
  Z_PARAM_ARRAY_HT_OR_STR_OR_NULL(transport_array, transport_dsn)
  ZEND_PARSE_PARAMETERS_END();

  call_core(
      [&] {
        const smtpx::Message converted = to_message(message);
        require_recipient(converted);
        Mailer mailer = argument(2, [&] {
          return Mailer(to_transport({transport_array, transport_dsn}), &Pool::process());
        });
        return mailer.send(converted);
      },
      [&](const SendResult& result) { result_to_array(result, return_value); });
}

ZEND_FUNCTION(smtpx_send_raw) {
  zend_string* from;
  HashTable* recipients;
  zend_string* mime;
  HashTable* transport_array = nullptr;
  zend_string* transport_dsn = nullptr;
  ZEND_PARSE_PARAMETERS_START(3, 4)
  Z_PARAM_STR(from)
  Z_PARAM_ARRAY_HT(recipients)
  Z_PARAM_STR(mime)
  Z_PARAM_OPTIONAL
  Z_PARAM_ARRAY_HT_OR_STR_OR_NULL(transport_array, transport_dsn)
  ZEND_PARSE_PARAMETERS_END();

  call_core(
      raw_argument,
      [&] {
        const smtpx::delivery::RawMessage raw = to_raw_message(from, recipients, mime);
        Mailer mailer = argument(4, [&] {
          return Mailer(to_transport({transport_array, transport_dsn}), &Pool::process());
        });
        return mailer.send_raw(raw);
      },
      [&](const SendResult& result) { result_to_array(result, return_value); });
}

ZEND_FUNCTION(smtpx_compose) {
  HashTable* message;
  HashTable* server = nullptr;
  ZEND_PARSE_PARAMETERS_START(1, 2)
  Z_PARAM_ARRAY_HT(message)
  Z_PARAM_OPTIONAL
  Z_PARAM_ARRAY_HT_OR_NULL(server)
  ZEND_PARSE_PARAMETERS_END();

  call_core(
      [&] {
        const smtpx::Message converted = to_message(message);
        return smtpx::mime::compose(converted, argument(2, [&] { return to_compose_options(server); }));
      },
      [&](const std::string& composed) { RETVAL_STRINGL(composed.data(), composed.size()); });
}
