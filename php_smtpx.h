/* smtpx: SMTP submission for PHP. The module entry and version, nothing else:
 * the extension's state lives in src/php/ and its logic in src/core/. */
#ifndef PHP_SMTPX_H
#define PHP_SMTPX_H

#include "php.h"

BEGIN_EXTERN_C()
extern zend_module_entry smtpx_module_entry;
END_EXTERN_C()
#define phpext_smtpx_ptr &smtpx_module_entry

#define PHP_SMTPX_VERSION "0.1.0"

#if defined(ZTS) && defined(COMPILE_DL_SMTPX)
ZEND_TSRMLS_CACHE_EXTERN()
#endif

#endif
