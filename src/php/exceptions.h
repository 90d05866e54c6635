// Smtpx\Exception and its subclasses: the class entries (registered by
// module.cc from the stub) and the one way the glue raises them.
#pragma once

#include "../core/error.h"
#include "php.h"

namespace smtpx::php {

struct ExceptionClasses {
  zend_class_entry* base = nullptr;  // Smtpx\Exception
  zend_class_entry* connect = nullptr;
  zend_class_entry* tls = nullptr;
  zend_class_entry* auth = nullptr;
  zend_class_entry* rejected = nullptr;
  zend_class_entry* protocol = nullptr;
  zend_class_entry* timeout = nullptr;
};
extern ExceptionClasses exception_classes;

// Throws the Smtpx\*Exception for `failure.kind`, with the message, the SMTP
// code as the exception code, and every field of the failure readable through
// the getters (and getRejected() for a RejectedException).
void throw_smtp_error(const SmtpFailure& failure);

}  // namespace smtpx::php
