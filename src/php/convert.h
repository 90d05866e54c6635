// PHP arrays to the core's types (results.h goes the other way). Reading a
// zval here never calls into Zend in a way that can bail out (no conversion, no
// allocation), so it may run in the core's half of call_core (call.h); the one
// Zend call that allocates, the open_basedir check, runs zend_guarded. Bad input
// throws InvalidInput naming the field ("to[1]", "headers.X-Tag",
// "transport.port") or BadArgument for the argument as a whole.
#pragma once

#include <string>
#include <string_view>

#include "../core/delivery/mailer.h"
#include "../core/message.h"
#include "../core/mime/writer.h"
#include "php.h"

namespace smtpx::php {

inline std::string_view view(const zend_string* text) {
  return {ZSTR_VAL(text), ZSTR_LEN(text)};
}

// smtpx_send()'s $message: from, to, cc, bcc, reply_to, subject, text, html,
// headers, attachments, sender (or return_path), charset. A key set to null
// counts as absent.
Message to_message(HashTable* message);
// A message to send needs someone to send it to.
void require_recipient(const Message& message);

// $transport as PHP gave it: an array, a DSN string, or neither (smtpx.dsn). It
// goes on top of the transport php.ini describes (ini_transport()), so what the
// caller gives wins and php.ini fills in the rest.
struct TransportArg {
  HashTable* array = nullptr;
  const zend_string* dsn = nullptr;
};
delivery::Transport to_transport(TransportArg transport);

// smtpx_compose()'s $server: what the receiving server offers ("8bitmime",
// "smtputf8"), which decides the transfer encodings; null or [] for neither.
mime::ComposeOptions to_compose_options(HashTable* server);

// smtpx_send_raw()'s $from, $recipients and $mime; the core parses the addresses.
delivery::RawMessage to_raw_message(const zend_string* from, HashTable* recipients, const zend_string* mime);
// Which of $from (1), $recipients (2) or $mime (3) a field of a raw send names.
int raw_argument(const std::string& field);

}  // namespace smtpx::php
