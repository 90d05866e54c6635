// Smtpx\Exception and its subclasses: raising them from a core failure or a
// refused call, and the getters, which read the protected properties so a
// subclass written in PHP sees the same values.
//
// The builders run where a Zend call may bail out (a longjmp: the memory limit):
// they hold no C++ object with a destructor, only references and views into the
// failure, and allocate nothing in C++, so neither a bailout nor bad_alloc can
// strike between a constructor and its destructor.
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string_view>

#include "../../php_smtpx.h"
#include "call.h"
#include "exceptions.h"
#include "results.h"
#include "zend_exceptions.h"

namespace smtpx::php {

ExceptionClasses exception_classes;

namespace {

zend_class_entry* class_for(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::connect:
      return exception_classes.connect;
    case ErrorKind::tls:
      return exception_classes.tls;
    case ErrorKind::auth:
      return exception_classes.auth;
    case ErrorKind::rejected:
      return exception_classes.rejected;
    case ErrorKind::protocol:
      return exception_classes.protocol;
    case ErrorKind::timeout:
      return exception_classes.timeout;
  }
  return exception_classes.base;
}

void set_string(zend_object* exception, const char* name, std::string_view value) {
  zend_update_property_stringl(exception_classes.base, exception, name, strlen(name), value.data(),
                               value.size());
}

// Builds the exception with `message` and `code` and its Smtpx\Exception
// properties at their defaults, ready to have them set before it is thrown.
zend_object* create(zend_class_entry* ce, std::string_view message, zend_long code, zval* holder) {
  object_init_ex(holder, ce);
  zend_object* exception = Z_OBJ_P(holder);
  zend_update_property_stringl(zend_ce_exception, exception, ZEND_STRL("message"), message.data(),
                               message.size());
  zend_update_property_long(zend_ce_exception, exception, ZEND_STRL("code"), code);
  return exception;
}

zval* property(zval* self, zend_class_entry* scope, const char* name, size_t length, zval* holder) {
  return zend_read_property(scope, Z_OBJ_P(self), name, length, true, holder);
}

// A string property of Smtpx\Exception, or null when it holds none.
zend_string* string_property(zval* self, const char* name, size_t length, zval* holder) {
  zval* value = property(self, exception_classes.base, name, length, holder);
  return Z_TYPE_P(value) == IS_STRING ? Z_STR_P(value) : nullptr;
}

}  // namespace

void throw_smtp_error(const SmtpFailure& failure) {
  zval holder;
  zend_object* exception = create(class_for(failure.kind), failure.message, failure.smtp_code, &holder);
  zend_class_entry* base = exception_classes.base;
  zend_update_property_long(base, exception, ZEND_STRL("smtpCode"), failure.smtp_code);
  if (!failure.enhanced_status.empty()) set_string(exception, "enhancedStatus", failure.enhanced_status);
  zend_update_property_string(base, exception, ZEND_STRL("phase"), phase_name(failure.phase));
  zend_update_property_bool(base, exception, ZEND_STRL("transient"), failure.transient);
  zend_update_property_bool(base, exception, ZEND_STRL("outcomeUnknown"), failure.outcome_unknown);
  if (!failure.transcript.empty()) set_string(exception, "transcript", failure.transcript);
  set_string(exception, "hint", failure.hint);
  zend_update_property_long(base, exception, ZEND_STRL("httpStatus"), failure.http_status);
  if (failure.retry_after > 0)
    zend_update_property_double(base, exception, ZEND_STRL("retryAfter"), failure.retry_after);
  if (!failure.rotated_refresh_token.empty())
    set_string(exception, "oauthRefreshToken", failure.rotated_refresh_token);
  if (failure.kind == ErrorKind::rejected) {
    zval rejected;
    rejected_to_array(failure.rejected, &rejected);
    zend_update_property(exception_classes.rejected, exception, ZEND_STRL("rejected"), &rejected);
    zval_ptr_dtor(&rejected);
  }
  zend_throw_exception_object(&holder);
}

void throw_refusal(const Refusal& refusal) {
  switch (refusal.kind) {
    case Refusal::Kind::argument_value:
      zend_argument_value_error(refusal.argnum, "%s", refusal.text.c_str());
      return;
    case Refusal::Kind::argument_type:
      zend_argument_type_error(refusal.argnum, "%s", refusal.text.c_str());
      return;
    case Refusal::Kind::smtp:
      throw_smtp_error(refusal.failure);
      return;
    case Refusal::Kind::internal:
      zend_throw_exception_ex(exception_classes.base, 0, "smtpx failed unexpectedly: %s",
                              refusal.text.empty() ? "out of memory" : refusal.text.c_str());
      return;
    case Refusal::Kind::bailout:
      return;  // finish continues the bailout instead
  }
}

}  // namespace smtpx::php

using smtpx::php::exception_classes;
using smtpx::php::property;
using smtpx::php::string_property;

ZEND_METHOD(Smtpx_Exception, getSmtpCode) {
  ZEND_PARSE_PARAMETERS_NONE();
  zval holder;
  RETURN_LONG(zval_get_long(property(ZEND_THIS, exception_classes.base, ZEND_STRL("smtpCode"), &holder)));
}

ZEND_METHOD(Smtpx_Exception, getEnhancedStatus) {
  ZEND_PARSE_PARAMETERS_NONE();
  zval holder;
  if (zend_string* status = string_property(ZEND_THIS, ZEND_STRL("enhancedStatus"), &holder))
    RETURN_STR_COPY(status);
  RETURN_NULL();
}

ZEND_METHOD(Smtpx_Exception, getPhase) {
  ZEND_PARSE_PARAMETERS_NONE();
  zval holder;
  if (zend_string* phase = string_property(ZEND_THIS, ZEND_STRL("phase"), &holder)) RETURN_STR_COPY(phase);
  RETURN_EMPTY_STRING();
}

ZEND_METHOD(Smtpx_Exception, isTransient) {
  ZEND_PARSE_PARAMETERS_NONE();
  zval holder;
  RETURN_BOOL(zend_is_true(property(ZEND_THIS, exception_classes.base, ZEND_STRL("transient"), &holder)));
}

ZEND_METHOD(Smtpx_Exception, isOutcomeUnknown) {
  ZEND_PARSE_PARAMETERS_NONE();
  zval holder;
  RETURN_BOOL(
      zend_is_true(property(ZEND_THIS, exception_classes.base, ZEND_STRL("outcomeUnknown"), &holder)));
}

ZEND_METHOD(Smtpx_Exception, getTranscript) {
  ZEND_PARSE_PARAMETERS_NONE();
  zval holder;
  if (zend_string* transcript = string_property(ZEND_THIS, ZEND_STRL("transcript"), &holder))
    RETURN_STR_COPY(transcript);
  RETURN_NULL();
}

ZEND_METHOD(Smtpx_Exception, getHint) {
  ZEND_PARSE_PARAMETERS_NONE();
  zval holder;
  if (zend_string* hint = string_property(ZEND_THIS, ZEND_STRL("hint"), &holder)) RETURN_STR_COPY(hint);
  RETURN_EMPTY_STRING();
}

ZEND_METHOD(Smtpx_Exception, getOauthRefreshToken) {
  ZEND_PARSE_PARAMETERS_NONE();
  zval holder;
  if (zend_string* token = string_property(ZEND_THIS, ZEND_STRL("oauthRefreshToken"), &holder))
    RETURN_STR_COPY(token);
  RETURN_NULL();
}

ZEND_METHOD(Smtpx_Exception, getHttpStatus) {
  ZEND_PARSE_PARAMETERS_NONE();
  zval holder;
  RETURN_LONG(zval_get_long(property(ZEND_THIS, exception_classes.base, ZEND_STRL("httpStatus"), &holder)));
}

ZEND_METHOD(Smtpx_Exception, getRetryAfter) {
  ZEND_PARSE_PARAMETERS_NONE();
  zval holder;
  zval* delay = property(ZEND_THIS, exception_classes.base, ZEND_STRL("retryAfter"), &holder);
  if (Z_TYPE_P(delay) != IS_DOUBLE) RETURN_NULL();
  RETURN_DOUBLE(Z_DVAL_P(delay));
}

ZEND_METHOD(Smtpx_RejectedException, getRejected) {
  ZEND_PARSE_PARAMETERS_NONE();
  zval holder;
  zval* rejected = property(ZEND_THIS, exception_classes.rejected, ZEND_STRL("rejected"), &holder);
  if (Z_TYPE_P(rejected) != IS_ARRAY) RETURN_EMPTY_ARRAY();
  RETURN_COPY(rejected);
}
