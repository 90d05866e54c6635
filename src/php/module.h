// What the rest of the glue reads from the module: the php.ini settings.
#pragma once

#include <string_view>

namespace smtpx::php {

// smtpx.dsn, smtpx.timeout, smtpx.cafile and smtpx.helo as currently set
// (php.ini, a per-directory setting or ini_set()). Views into Zend's strings,
// valid until the setting changes.
struct IniSettings {
  std::string_view dsn;
  double timeout = 0;
  std::string_view cafile;
  std::string_view helo;
};
IniSettings ini_settings();

}  // namespace smtpx::php
