// Smtpx\Client: the object holds a delivery::Mailer, allocated by the C++ heap
// (never emalloc, whose memory Zend discards at the end of a request), so the
// session it keeps outlives any one call. Freeing the object ends the session
// with QUIT. After fork() the session belongs to the parent: the child drops
// its copy of the descriptor without a word to the server.
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <cstddef>
#include <cstring>
#include <memory>
#include <new>
#include <type_traits>

#include "../../php_smtpx.h"
#include "../core/delivery/mailer.h"
#include "../core/net/process_owner.h"
#include "call.h"
#include "client.h"
#include "convert.h"
#include "results.h"

namespace smtpx::php {

namespace {

zend_object_handlers client_handlers;

// The C++ side of a client, constructed in place ahead of Zend's part.
struct ClientState {
  std::unique_ptr<delivery::Mailer> mailer;  // null until __construct()
  net::ProcessOwner owner;                   // the process whose session it is
};

// The state lives in raw storage ahead of Zend's part: a member of class type
// holding a unique_ptr is not standard-layout for every compiler (clang with
// libstdc++), and offsetof below needs standard layout.
struct ClientObject {
  alignas(ClientState) unsigned char storage[sizeof(ClientState)];
  zend_object std;  // last: Zend allocates the properties after it
  ClientState& state() { return *std::launder(reinterpret_cast<ClientState*>(storage)); }
};
static_assert(std::is_standard_layout_v<ClientObject>, "offsetof(ClientObject, std) must be valid");

ClientObject* client_of(zend_object* object) {
  return reinterpret_cast<ClientObject*>(reinterpret_cast<char*>(object) - offsetof(ClientObject, std));
}

zend_object* create_client(zend_class_entry* ce) {
  // Zend sizes the allocation for the properties the class declares (none), which
  // can be smaller than sizeof(ClientObject): only the state is constructed here.
  auto* self = static_cast<ClientObject*>(zend_object_alloc(sizeof(ClientObject), ce));
  new (self->storage) ClientState();
  zend_object_std_init(&self->std, ce);
  object_properties_init(&self->std, ce);
  self->std.handlers = &client_handlers;
  return &self->std;
}

// A session inherited through fork() is the parent's: never QUIT it, never reuse it.
void adopt(ClientState& self) {
  if (self.owner.take() && self.mailer) self.mailer->abandon();
}

void free_client(zend_object* object) {
  ClientState& state = client_of(object)->state();
  adopt(state);
  zend_object_std_dtor(object);
  std::destroy_at(&state);  // ~Mailer sends QUIT
}

// The client of $this, or null (and an Error thrown) when __construct() never ran.
ClientState* constructed(zval* self) {
  ClientState& state = client_of(Z_OBJ_P(self))->state();
  if (state.mailer) return &state;
  zend_throw_error(nullptr, "Smtpx\\Client::__construct() was not called");
  return nullptr;
}

}  // namespace

void client_startup(zend_class_entry* client_class) {
  client_class->create_object = create_client;
  std::memcpy(&client_handlers, &std_object_handlers, sizeof(client_handlers));
  client_handlers.offset = offsetof(ClientObject, std);
  client_handlers.free_obj = free_client;
  client_handlers.clone_obj = nullptr;  // a session cannot be duplicated
}

}  // namespace smtpx::php

using namespace smtpx::php;
using smtpx::delivery::Mailer;
using smtpx::delivery::SendResult;

ZEND_METHOD(Smtpx_Client, __construct) {
  HashTable* array = nullptr;
  zend_string* dsn = nullptr;
  ZEND_PARSE_PARAMETERS_START(0, 1)
  Z_PARAM_OPTIONAL
  Z_PARAM_ARRAY_HT_OR_STR_OR_NULL(array, dsn)
  ZEND_PARSE_PARAMETERS_END();

  ClientState* self = &client_of(Z_OBJ_P(ZEND_THIS))->state();
  call_core([&] {
    auto mailer = std::make_unique<Mailer>(to_transport({array, dsn}));
    adopt(*self);
    self->mailer = std::move(mailer);  // a second __construct() ends the first session
  });
}

ZEND_METHOD(Smtpx_Client, send) {
  HashTable* message;
  ZEND_PARSE_PARAMETERS_START(1, 1)
  Z_PARAM_ARRAY_HT(message)
  ZEND_PARSE_PARAMETERS_END();

  ClientState* self = constructed(ZEND_THIS);
  if (!self) RETURN_THROWS();
  call_core(
      [&] {
        const smtpx::Message converted = to_message(message);
        require_recipient(converted);
        adopt(*self);
        return self->mailer->send(converted);
      },
      [&](const SendResult& result) { result_to_array(result, return_value); });
}

ZEND_METHOD(Smtpx_Client, sendRaw) {
  zend_string* from;
  HashTable* recipients;
  zend_string* mime;
  ZEND_PARSE_PARAMETERS_START(3, 3)
  Z_PARAM_STR(from)
  Z_PARAM_ARRAY_HT(recipients)
  Z_PARAM_STR(mime)
  ZEND_PARSE_PARAMETERS_END();

  ClientState* self = constructed(ZEND_THIS);
  if (!self) RETURN_THROWS();
  call_core(
      raw_argument,
      [&] {
        const smtpx::delivery::RawMessage raw = to_raw_message(from, recipients, mime);
        adopt(*self);
        return self->mailer->send_raw(raw);
      },
      [&](const SendResult& result) { result_to_array(result, return_value); });
}

ZEND_METHOD(Smtpx_Client, close) {
  ZEND_PARSE_PARAMETERS_NONE();

  ClientState* self = constructed(ZEND_THIS);
  if (!self) RETURN_THROWS();
  call_core([&] {
    adopt(*self);
    self->mailer->close();
  });
}
