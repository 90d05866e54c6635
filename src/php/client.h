// Smtpx\Client: a PHP object that owns one delivery::Mailer, so the session
// stays open from one send to the next.
#pragma once

#include "php.h"

namespace smtpx::php {

// Installs the object handlers on the class registered from the stub.
void client_startup(zend_class_entry* client_class);

}  // namespace smtpx::php
