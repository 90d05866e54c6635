// PHP arrays to smtpx::Message, Transport and RawMessage, and SendResult back
// to an array. Each accepted key is a row in a table; a key not in the table is
// refused, so a typo ("tto") never silently drops a recipient.
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <algorithm>
#include <cctype>
#include <iterator>
#include <utility>

#include "../../php_smtpx.h"
#include "../core/address.h"
#include "call.h"
#include "convert.h"
#include "module.h"
#include "pool_functions.h"

namespace smtpx::php {

namespace {

[[noreturn]] void wrong_type(const std::string& field, const char* expected, const zval* value) {
  throw InvalidInput(
      field, std::string("must be of type ") + expected + ", " + zend_zval_type_name(value) + " given",
      InvalidInput::Kind::type);
}

std::string key_name(const zend_string* key, zend_ulong index) {
  return key ? std::string(view(key)) : std::to_string(index);
}

std::string_view string_of(const zval* value, const std::string& field) {
  ZVAL_DEREF(value);
  if (Z_TYPE_P(value) != IS_STRING) wrong_type(field, "string", value);
  return view(Z_STR_P(value));
}

bool bool_of(const zval* value, const std::string& field) {
  ZVAL_DEREF(value);
  if (Z_TYPE_P(value) != IS_TRUE && Z_TYPE_P(value) != IS_FALSE) wrong_type(field, "bool", value);
  return Z_TYPE_P(value) == IS_TRUE;
}

double seconds_of(const zval* value, const std::string& field) {
  ZVAL_DEREF(value);
  if (Z_TYPE_P(value) == IS_LONG) return static_cast<double>(Z_LVAL_P(value));
  if (Z_TYPE_P(value) != IS_DOUBLE) wrong_type(field, "float", value);
  return Z_DVAL_P(value);
}

unsigned count_of(const zval* value, const std::string& field) {
  ZVAL_DEREF(value);
  if (Z_TYPE_P(value) != IS_LONG) wrong_type(field, "int", value);
  if (Z_LVAL_P(value) < 0 || Z_LVAL_P(value) > 1'000'000)
    throw InvalidInput(field, "must be from 0 to 1000000");
  return static_cast<unsigned>(Z_LVAL_P(value));
}

// PHP's own file functions refuse a path outside open_basedir; a file smtpx
// reads for the script (an attachment, a CA file) obeys the same rule.
void check_open_basedir(const std::string& path, const std::string& field) {
  if (PG(open_basedir) && *PG(open_basedir) && php_check_open_basedir_ex(path.c_str(), 0) != 0)
    throw InvalidInput(field, "is outside open_basedir, so this script may not read it: " + printable(path));
}

std::string path_of(const zval* value, const std::string& field) {
  std::string path(string_of(value, field));
  check_open_basedir(path, field);
  return path;
}

HashTable* array_of(const zval* value, const std::string& field) {
  ZVAL_DEREF(value);
  if (Z_TYPE_P(value) != IS_ARRAY) wrong_type(field, "array", value);
  return Z_ARRVAL_P(value);
}

// Calls visit(field, entry) for each entry of a list, field being "name[i]".
template <class Visit>
void each_item(HashTable* list, const std::string& name, Visit&& visit) {
  size_t position = 0;
  zval* entry;
  ZEND_HASH_FOREACH_VAL(list, entry) {
    visit(name + "[" + std::to_string(position++) + "]", entry);
  }
  ZEND_HASH_FOREACH_END();
}

// One accepted key of an array argument and how it sets its part of the target.
template <class Target>
struct Row {
  std::string_view name;
  void (*set)(Target&, const zval* value, const std::string& field);
};

// Dispatches each key of `array` to its row in `table`, which receives the
// field named `prefix` + key; a key set to null counts as absent. `where` ends
// the unknown-key message (" in attachments[0]").
template <class Target, size_t N>
void apply_table(Target& target, HashTable* array, const Row<Target> (&table)[N], const std::string& prefix,
                 const std::string& where) {
  zend_string* key;
  zend_ulong index;
  zval* value;
  ZEND_HASH_FOREACH_KEY_VAL(array, index, key, value) {
    const std::string name = key_name(key, index);
    const Row<Target>* row = std::find_if(std::begin(table), std::end(table),
                                          [&](const Row<Target>& r) { return key && r.name == name; });
    if (row == std::end(table)) throw BadArgument("has an unknown key \"" + name + "\"" + where);
    const zval* present = value;
    ZVAL_DEREF(present);
    if (Z_TYPE_P(present) != IS_NULL) row->set(target, present, prefix + name);
  }
  ZEND_HASH_FOREACH_END();
}

// "a@example.com", "Name <a@example.com>", or a list of them.
void add_mailboxes(std::vector<Mailbox>& out, const zval* value, const std::string& field) {
  ZVAL_DEREF(value);
  if (Z_TYPE_P(value) == IS_STRING) {
    out.push_back(parse_mailbox(view(Z_STR_P(value)), field));
    return;
  }
  if (Z_TYPE_P(value) != IS_ARRAY) wrong_type(field, "string|array", value);
  each_item(Z_ARRVAL_P(value), field, [&](const std::string& item, const zval* entry) {
    out.push_back(parse_mailbox(string_of(entry, item), item));
  });
}

std::string header_value(const zval* value, const std::string& field) {
  ZVAL_DEREF(value);
  if (Z_TYPE_P(value) == IS_LONG) return std::to_string(Z_LVAL_P(value));
  if (Z_TYPE_P(value) != IS_STRING) wrong_type(field, "string|int", value);
  return std::string(view(Z_STR_P(value)));
}

// name => value, or name => list of values (the header repeated, in order).
void add_headers(Message& message, const zval* value, const std::string& headers) {
  zend_string* name;
  zend_ulong index;
  zval* entry;
  ZEND_HASH_FOREACH_KEY_VAL(array_of(value, headers), index, name, entry) {
    if (!name)
      throw InvalidInput(headers + "[" + std::to_string(index) + "]",
                         "needs the header name as its key, e.g. 'X-Tag' => 'value'");
    const std::string field = headers + "." + std::string(view(name));
    zval* values = entry;
    ZVAL_DEREF(values);
    if (Z_TYPE_P(values) == IS_ARRAY) {
      each_item(Z_ARRVAL_P(values), field, [&](const std::string& item, const zval* one) {
        message.headers.emplace_back(view(name), header_value(one, item));
      });
    } else {
      message.headers.emplace_back(view(name), header_value(values, field));
    }
  }
  ZEND_HASH_FOREACH_END();
}

bool given(HashTable* array, std::string_view key) {
  const zval* value = zend_hash_str_find(array, key.data(), key.size());
  if (value) ZVAL_DEREF(value);
  return value && Z_TYPE_P(value) != IS_NULL;
}

const Row<Attachment> attachment_rows[] = {
    {"path", [](Attachment& a, const zval* v, const std::string& f) { a.path = path_of(v, f); }},
    {"data", [](Attachment& a, const zval* v, const std::string& f) { a.data = string_of(v, f); }},
    {"name", [](Attachment& a, const zval* v, const std::string& f) { a.name = string_of(v, f); }},
    {"type", [](Attachment& a, const zval* v, const std::string& f) { a.type = string_of(v, f); }},
    {"inline", [](Attachment& a, const zval* v, const std::string& f) { a.content_id = string_of(v, f); }},
};

// A path, or an array with path or data, and optionally name, type and inline (a content id).
Attachment to_attachment(const zval* value, const std::string& field) {
  ZVAL_DEREF(value);
  Attachment attachment;
  if (Z_TYPE_P(value) == IS_STRING) {
    attachment.path = path_of(value, field + ".path");
    return attachment;
  }
  if (Z_TYPE_P(value) != IS_ARRAY) wrong_type(field, "string|array", value);
  HashTable* array = Z_ARRVAL_P(value);
  apply_table(attachment, array, attachment_rows, field + ".", " in " + field);
  if (given(array, "path") == given(array, "data"))
    throw InvalidInput(field, "needs either \"path\" (a file to read) or \"data\" (the bytes)");
  return attachment;
}

void set_sender(Message& message, const zval* value, const std::string& field) {
  if (message.sender)
    throw BadArgument("has both \"sender\" and \"return_path\", which mean the same: give one");
  message.sender = parse_mailbox(string_of(value, field), field);
}

std::string upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

const Row<DsnRequest> dsn_rows[] = {
    {"notify",
     [](DsnRequest& d, const zval* v, const std::string& f) {
       if (Z_TYPE_P(v) == IS_ARRAY) {
         each_item(Z_ARRVAL_P(v), f, [&](const std::string& item, const zval* entry) {
           d.notify.push_back(upper(string_of(entry, item)));
         });
         return;
       }
       // "success,failure" as well as ["success", "failure"]
       std::string_view list = string_of(v, f);
       while (!list.empty()) {
         const size_t comma = list.find(',');
         d.notify.push_back(upper(list.substr(0, comma)));
         list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
       }
     }},
    {"ret", [](DsnRequest& d, const zval* v, const std::string& f) { d.ret = upper(string_of(v, f)); }},
    {"envid", [](DsnRequest& d, const zval* v, const std::string& f) { d.envid = string_of(v, f); }},
};

void set_dsn(Message& message, const zval* value, const std::string& field) {
  if (Z_TYPE_P(value) != IS_ARRAY) wrong_type(field, "array", value);
  apply_table(message.dsn, Z_ARRVAL_P(value), dsn_rows, field + ".", " in " + field);
}

const Row<Message> message_rows[] = {
    {"from",
     [](Message& m, const zval* v, const std::string& f) { m.from = parse_mailbox(string_of(v, f), f); }},
    {"to", [](Message& m, const zval* v, const std::string& f) { add_mailboxes(m.to, v, f); }},
    {"cc", [](Message& m, const zval* v, const std::string& f) { add_mailboxes(m.cc, v, f); }},
    {"bcc", [](Message& m, const zval* v, const std::string& f) { add_mailboxes(m.bcc, v, f); }},
    {"reply_to", [](Message& m, const zval* v, const std::string& f) { add_mailboxes(m.reply_to, v, f); }},
    {"subject", [](Message& m, const zval* v, const std::string& f) { m.subject = string_of(v, f); }},
    {"text", [](Message& m, const zval* v, const std::string& f) { m.text = std::string(string_of(v, f)); }},
    {"html", [](Message& m, const zval* v, const std::string& f) { m.html = std::string(string_of(v, f)); }},
    {"headers", add_headers},
    {"attachments",
     [](Message& m, const zval* v, const std::string& f) {
       each_item(array_of(v, f), f, [&](const std::string& item, const zval* entry) {
         m.attachments.push_back(to_attachment(entry, item));
       });
     }},
    {"sender", set_sender},
    {"return_path", set_sender},
    {"charset", [](Message& m, const zval* v, const std::string& f) { m.charset = string_of(v, f); }},
    {"dsn", set_dsn},
};

// 587, "587", or "2465/tls": the TLS mode follows from the port unless given.
delivery::PortChoice port_of(const zval* value, const std::string& field) {
  ZVAL_DEREF(value);
  if (Z_TYPE_P(value) == IS_LONG) return delivery::parse_port_choice(std::to_string(Z_LVAL_P(value)), field);
  if (Z_TYPE_P(value) != IS_STRING) wrong_type(field, "int|string", value);
  return delivery::parse_port_choice(view(Z_STR_P(value)), field);
}

void set_ports(delivery::Transport& transport, const zval* value, const std::string& field) {
  if (!transport.ports.empty()) throw BadArgument("has both \"port\" and \"ports\": give one");
  if (field == "transport.port") {
    transport.ports.push_back(port_of(value, field));
    return;
  }
  each_item(array_of(value, field), field, [&](const std::string& item, const zval* entry) {
    transport.ports.push_back(port_of(entry, item));
  });
}

void set_tls(delivery::Transport& transport, const zval* value, const std::string& field) {
  const std::string_view mode = string_of(value, field);
  if (mode != "required" && mode != "none") throw InvalidInput(field, "must be 'required' or 'none'");
  transport.tls_required = mode == "required";
}

using delivery::Transport;

void set_fallback(Transport& transport, const zval* value, const std::string& field);
void set_oauth(Transport& transport, const zval* value, const std::string& field);
void set_dkim(Transport& transport, const zval* value, const std::string& field);

const Row<Transport> transport_rows[] = {
    {"api", [](Transport& t, const zval* v, const std::string& f) { t.api.name = string_of(v, f); }},
    {"api_key", [](Transport& t, const zval* v, const std::string& f) { t.api.key = string_of(v, f); }},
    {"secret", [](Transport& t, const zval* v, const std::string& f) { t.api.secret = string_of(v, f); }},
    {"domain", [](Transport& t, const zval* v, const std::string& f) { t.api.domain = string_of(v, f); }},
    {"region", [](Transport& t, const zval* v, const std::string& f) { t.api.region = string_of(v, f); }},
    {"api_endpoint",
     [](Transport& t, const zval* v, const std::string& f) { t.api.endpoint = string_of(v, f); }},
    {"message_stream",
     [](Transport& t, const zval* v, const std::string& f) { t.api.message_stream = string_of(v, f); }},
    {"fallback", set_fallback},
    {"oauth", set_oauth},
    {"dkim", set_dkim},
    {"api_fallback",
     [](Transport& t, const zval* v, const std::string& f) { t.api_fallback = bool_of(v, f); }},
    {"host", [](Transport& t, const zval* v, const std::string& f) { t.host = string_of(v, f); }},
    {"port", set_ports},
    {"ports", set_ports},
    {"username",
     [](Transport& t, const zval* v, const std::string& f) { t.credentials.username = string_of(v, f); }},
    {"password",
     [](Transport& t, const zval* v, const std::string& f) { t.credentials.password = string_of(v, f); }},
    {"oauth_token",
     [](Transport& t, const zval* v, const std::string& f) { t.credentials.oauth_token = string_of(v, f); }},
    {"tls", set_tls},
    {"tls_verify", [](Transport& t, const zval* v, const std::string& f) { t.tls_verify = bool_of(v, f); }},
    {"cafile", [](Transport& t, const zval* v, const std::string& f) { t.cafile = path_of(v, f); }},
    {"timeout", [](Transport& t, const zval* v, const std::string& f) { t.timeout = seconds_of(v, f); }},
    {"connect_timeout",
     [](Transport& t, const zval* v, const std::string& f) { t.connect_timeout = seconds_of(v, f); }},
    {"reply_timeout",
     [](Transport& t, const zval* v, const std::string& f) { t.reply_timeout = seconds_of(v, f); }},
    {"helo", [](Transport& t, const zval* v, const std::string& f) { t.helo = string_of(v, f); }},
    {"debug", [](Transport& t, const zval* v, const std::string& f) { t.debug = bool_of(v, f); }},
    {"stagger", [](Transport& t, const zval* v, const std::string& f) { t.stagger = seconds_of(v, f); }},
    {"persistent", [](Transport& t, const zval* v, const std::string& f) { t.persistent = bool_of(v, f); }},
    {"pool_idle", [](Transport& t, const zval* v, const std::string& f) { t.pool.idle = seconds_of(v, f); }},
    {"pool_max_age",
     [](Transport& t, const zval* v, const std::string& f) { t.pool.max_age = seconds_of(v, f); }},
    {"pool_max_messages",
     [](Transport& t, const zval* v, const std::string& f) { t.pool.max_messages = count_of(v, f); }},
    {"pool_per_key",
     [](Transport& t, const zval* v, const std::string& f) { t.pool.per_key = count_of(v, f); }},
};

// The transport the host's php.ini describes. The caller's DSN or array is
// applied on top of it, so a value the caller gives always wins and the INI
// fills only what the caller left out.
delivery::Transport ini_transport() {
  const IniSettings ini = ini_settings();
  delivery::Transport transport;
  transport.timeout = ini.timeout;
  transport.cafile = ini.cafile;
  transport.helo = ini.helo;
  apply_pool_ini(transport);
  return transport;
}

}  // namespace

Message to_message(HashTable* message) {
  Message result;
  apply_table(result, message, message_rows, "", "");
  if (result.from.address.empty()) throw BadArgument("needs a \"from\" key: the author's address");
  return result;
}

void require_recipient(const Message& message) {
  if (message.to.empty() && message.cc.empty() && message.bcc.empty())
    throw BadArgument("needs at least one recipient in \"to\", \"cc\" or \"bcc\"");
}

const Row<mime::ComposeOptions> server_rows[] = {
    {"8bitmime",
     [](mime::ComposeOptions& o, const zval* v, const std::string& f) { o.server_8bitmime = bool_of(v, f); }},
    {"smtputf8",
     [](mime::ComposeOptions& o, const zval* v, const std::string& f) { o.server_smtputf8 = bool_of(v, f); }},
};

mime::ComposeOptions to_compose_options(HashTable* server) {
  mime::ComposeOptions options;
  if (server) apply_table(options, server, server_rows, "server.", "");
  return options;
}

namespace {

// A DSN or an array, like the transport itself; the fallback of a fallback too.
void set_fallback(Transport& transport, const zval* value, const std::string& field) {
  Transport fallback = ini_transport();
  if (Z_TYPE_P(value) == IS_STRING) {
    fallback = delivery::parse_dsn(view(Z_STR_P(value)), std::move(fallback));
  } else if (Z_TYPE_P(value) == IS_ARRAY) {
    apply_table(fallback, Z_ARRVAL_P(value), transport_rows, field + ".", " in " + field);
  } else {
    wrong_type(field, "string|array", value);
  }
  transport.fallback = std::make_shared<const Transport>(std::move(fallback));
}

using oauth::OAuthSettings;

const Row<OAuthSettings> oauth_rows[] = {
    {"provider", [](OAuthSettings& o, const zval* v, const std::string& f) { o.provider = string_of(v, f); }},
    {"client_id",
     [](OAuthSettings& o, const zval* v, const std::string& f) { o.client_id = string_of(v, f); }},
    {"client_secret",
     [](OAuthSettings& o, const zval* v, const std::string& f) { o.client_secret = string_of(v, f); }},
    {"refresh_token",
     [](OAuthSettings& o, const zval* v, const std::string& f) { o.refresh_token = string_of(v, f); }},
    {"tenant", [](OAuthSettings& o, const zval* v, const std::string& f) { o.tenant = string_of(v, f); }},
    {"token_url",
     [](OAuthSettings& o, const zval* v, const std::string& f) { o.token_url = string_of(v, f); }},
    {"scope", [](OAuthSettings& o, const zval* v, const std::string& f) { o.scope = string_of(v, f); }},
};

void set_oauth(Transport& transport, const zval* value, const std::string& field) {
  if (Z_TYPE_P(value) != IS_ARRAY) wrong_type(field, "array", value);
  apply_table(transport.oauth, Z_ARRVAL_P(value), oauth_rows, field + ".", " in " + field);
}

using dkim::DkimSettings;

// A PEM key as text, or the path of one (which obeys open_basedir like any file the script names).
void set_private_key(DkimSettings& d, const zval* v, const std::string& f) {
  const std::string_view key = string_of(v, f);
  d.private_key = key.find("-----BEGIN") != std::string_view::npos ? std::string(key) : path_of(v, f);
}

const Row<DkimSettings> dkim_rows[] = {
    {"domain", [](DkimSettings& d, const zval* v, const std::string& f) { d.domain = string_of(v, f); }},
    {"selector", [](DkimSettings& d, const zval* v, const std::string& f) { d.selector = string_of(v, f); }},
    {"private_key", set_private_key},
    {"passphrase",
     [](DkimSettings& d, const zval* v, const std::string& f) { d.passphrase = string_of(v, f); }},
    {"algorithm",
     [](DkimSettings& d, const zval* v, const std::string& f) { d.algorithm = string_of(v, f); }},
    {"headers",
     [](DkimSettings& d, const zval* v, const std::string& f) {
       if (Z_TYPE_P(v) != IS_ARRAY) wrong_type(f, "array", v);
       each_item(Z_ARRVAL_P(v), f, [&](const std::string& item, const zval* entry) {
         d.headers.emplace_back(string_of(entry, item));
       });
     }},
};

// One signature's settings, or a list of them (RSA and Ed25519 side by side).
void set_dkim(Transport& transport, const zval* value, const std::string& field) {
  if (Z_TYPE_P(value) != IS_ARRAY) wrong_type(field, "array", value);
  HashTable* array = Z_ARRVAL_P(value);
  if (zend_array_is_list(array) && zend_hash_num_elements(array) > 0) {
    each_item(array, field, [&](const std::string& item, const zval* entry) {
      if (Z_TYPE_P(entry) != IS_ARRAY) wrong_type(item, "array", entry);
      apply_table(transport.dkim.emplace_back(), Z_ARRVAL_P(entry), dkim_rows, item + ".", " in " + item);
    });
    return;
  }
  apply_table(transport.dkim.emplace_back(), array, dkim_rows, field + ".", " in " + field);
}

}  // namespace

delivery::Transport to_transport(TransportArg transport) {
  delivery::Transport result = ini_transport();
  if (transport.array) {
    apply_table(result, transport.array, transport_rows, "transport.", "");
    return result;
  }
  if (transport.dsn) {
    const std::string host_cafile = result.cafile;
    result = delivery::parse_dsn(view(transport.dsn), std::move(result));
    // A CA file the script names obeys open_basedir; the host's smtpx.cafile is the host's choice.
    if (result.cafile != host_cafile) check_open_basedir(result.cafile, "dsn.cafile");
    return result;
  }
  if (const std::string_view dsn = ini_settings().dsn; !dsn.empty())
    return delivery::parse_dsn(dsn, std::move(result));
  return result;
}

delivery::RawMessage to_raw_message(const zend_string* from, HashTable* recipients, const zend_string* mime) {
  delivery::RawMessage raw;
  raw.from = view(from);
  each_item(recipients, "recipients", [&](const std::string& item, const zval* entry) {
    raw.recipients.emplace_back(string_of(entry, item));
  });
  raw.mime = view(mime);
  return raw;
}

int raw_argument(const std::string& field) {
  if (field.rfind("from", 0) == 0) return 1;
  if (field.rfind("recipients", 0) == 0) return 2;
  return 3;
}

void rejected_to_array(const std::vector<std::pair<std::string, std::string>>& rejected, zval* out) {
  array_init_size(out, static_cast<uint32_t>(rejected.size()));
  for (const auto& [address, reply] : rejected)
    add_assoc_stringl_ex(out, address.data(), address.size(), reply.data(), reply.size());
}

void result_to_array(const delivery::SendResult& result, zval* out) {
  array_init_size(out, 10);
  if (result.message_id.empty())
    add_assoc_null(out, "message_id");
  else
    add_assoc_stringl(out, "message_id", result.message_id.data(), result.message_id.size());

  zval accepted;
  array_init_size(&accepted, static_cast<uint32_t>(result.accepted.size()));
  for (const std::string& address : result.accepted)
    add_next_index_stringl(&accepted, address.data(), address.size());
  add_assoc_zval(out, "accepted", &accepted);

  zval rejected;
  rejected_to_array(result.rejected, &rejected);
  add_assoc_zval(out, "rejected", &rejected);

  add_assoc_stringl(out, "reply", result.reply.data(), result.reply.size());
  add_assoc_stringl(out, "host", result.host.data(), result.host.size());
  add_assoc_long(out, "port", result.port);
  if (result.tls.empty())
    add_assoc_null(out, "tls");
  else
    add_assoc_stringl(out, "tls", result.tls.data(), result.tls.size());
  add_assoc_bool(out, "reused", result.reused);
  add_assoc_double(out, "seconds", result.seconds);
  add_assoc_stringl(out, "transport", result.transport.data(), result.transport.size());
  if (result.http_status != 0) {
    add_assoc_long(out, "http_status", result.http_status);
    add_assoc_stringl(out, "provider_message_id", result.provider_message_id.data(),
                      result.provider_message_id.size());
  }
  if (!result.rotated_refresh_token.empty())
    add_assoc_stringl(out, "oauth_refresh_token", result.rotated_refresh_token.data(),
                      result.rotated_refresh_token.size());
  if (result.dsn_ignored) add_assoc_bool(out, "dsn_ignored", true);
  if (!result.fallback_from.empty())
    add_assoc_stringl(out, "fallback_from", result.fallback_from.data(), result.fallback_from.size());
  zval attempts;
  attempts_to_array(result.attempts, &attempts);
  add_assoc_zval(out, "attempts", &attempts);
  // The core records a transcript only when the transport has debug on.
  if (!result.transcript.empty())
    add_assoc_stringl(out, "transcript", result.transcript.data(), result.transcript.size());
}

}  // namespace smtpx::php
