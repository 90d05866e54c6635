/* This is a generated file, edit the .stub.php file instead.
 * Stub hash: bc14f9c95f8ee6592bb76eca83b51c57b70eef45 */

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_smtpx_send, 0, 1, IS_ARRAY, 0)
	ZEND_ARG_TYPE_INFO(0, message, IS_ARRAY, 0)
	ZEND_ARG_TYPE_MASK(0, transport, MAY_BE_ARRAY|MAY_BE_STRING|MAY_BE_NULL, "null")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_smtpx_send_raw, 0, 3, IS_ARRAY, 0)
	ZEND_ARG_TYPE_INFO(0, from, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO(0, recipients, IS_ARRAY, 0)
	ZEND_ARG_TYPE_INFO(0, mime, IS_STRING, 0)
	ZEND_ARG_TYPE_MASK(0, transport, MAY_BE_ARRAY|MAY_BE_STRING|MAY_BE_NULL, "null")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_smtpx_compose, 0, 1, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO(0, message, IS_ARRAY, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, server, IS_ARRAY, 1, "null")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_smtpx_pool_stats, 0, 0, IS_ARRAY, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_smtpx_pool_close, 0, 0, IS_VOID, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_smtpx_probe, 0, 0, IS_ARRAY, 0)
	ZEND_ARG_TYPE_MASK(0, transport, MAY_BE_ARRAY|MAY_BE_STRING|MAY_BE_NULL, "null")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_smtpx_domain_check, 0, 1, IS_ARRAY, 0)
	ZEND_ARG_TYPE_INFO(0, domain, IS_STRING, 0)
	ZEND_ARG_TYPE_MASK(0, transport, MAY_BE_ARRAY|MAY_BE_STRING|MAY_BE_NULL, "null")
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, options, IS_ARRAY, 0, "[]")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Smtpx_Exception_getSmtpCode, 0, 0, IS_LONG, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Smtpx_Exception_getEnhancedStatus, 0, 0, IS_STRING, 1)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Smtpx_Exception_getPhase, 0, 0, IS_STRING, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Smtpx_Exception_isTransient, 0, 0, _IS_BOOL, 0)
ZEND_END_ARG_INFO()

#define arginfo_class_Smtpx_Exception_isOutcomeUnknown arginfo_class_Smtpx_Exception_isTransient

#define arginfo_class_Smtpx_Exception_getTranscript arginfo_class_Smtpx_Exception_getEnhancedStatus

#define arginfo_class_Smtpx_Exception_getHint arginfo_class_Smtpx_Exception_getPhase

#define arginfo_class_Smtpx_Exception_getHttpStatus arginfo_class_Smtpx_Exception_getSmtpCode

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Smtpx_Exception_getRetryAfter, 0, 0, IS_DOUBLE, 1)
ZEND_END_ARG_INFO()

#define arginfo_class_Smtpx_Exception_getOauthRefreshToken arginfo_class_Smtpx_Exception_getEnhancedStatus

#define arginfo_class_Smtpx_RejectedException_getRejected arginfo_smtpx_pool_stats

ZEND_BEGIN_ARG_INFO_EX(arginfo_class_Smtpx_Client___construct, 0, 0, 0)
	ZEND_ARG_TYPE_MASK(0, transport, MAY_BE_ARRAY|MAY_BE_STRING|MAY_BE_NULL, "null")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Smtpx_Client_send, 0, 1, IS_ARRAY, 0)
	ZEND_ARG_TYPE_INFO(0, message, IS_ARRAY, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Smtpx_Client_sendRaw, 0, 3, IS_ARRAY, 0)
	ZEND_ARG_TYPE_INFO(0, from, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO(0, recipients, IS_ARRAY, 0)
	ZEND_ARG_TYPE_INFO(0, mime, IS_STRING, 0)
ZEND_END_ARG_INFO()

#define arginfo_class_Smtpx_Client_close arginfo_smtpx_pool_close


ZEND_FUNCTION(smtpx_send);
ZEND_FUNCTION(smtpx_send_raw);
ZEND_FUNCTION(smtpx_compose);
ZEND_FUNCTION(smtpx_pool_stats);
ZEND_FUNCTION(smtpx_pool_close);
ZEND_FUNCTION(smtpx_probe);
ZEND_FUNCTION(smtpx_domain_check);
ZEND_METHOD(Smtpx_Exception, getSmtpCode);
ZEND_METHOD(Smtpx_Exception, getEnhancedStatus);
ZEND_METHOD(Smtpx_Exception, getPhase);
ZEND_METHOD(Smtpx_Exception, isTransient);
ZEND_METHOD(Smtpx_Exception, isOutcomeUnknown);
ZEND_METHOD(Smtpx_Exception, getTranscript);
ZEND_METHOD(Smtpx_Exception, getHint);
ZEND_METHOD(Smtpx_Exception, getHttpStatus);
ZEND_METHOD(Smtpx_Exception, getRetryAfter);
ZEND_METHOD(Smtpx_Exception, getOauthRefreshToken);
ZEND_METHOD(Smtpx_RejectedException, getRejected);
ZEND_METHOD(Smtpx_Client, __construct);
ZEND_METHOD(Smtpx_Client, send);
ZEND_METHOD(Smtpx_Client, sendRaw);
ZEND_METHOD(Smtpx_Client, close);


static const zend_function_entry ext_functions[] = {
	ZEND_FE(smtpx_send, arginfo_smtpx_send)
	ZEND_FE(smtpx_send_raw, arginfo_smtpx_send_raw)
	ZEND_FE(smtpx_compose, arginfo_smtpx_compose)
	ZEND_FE(smtpx_pool_stats, arginfo_smtpx_pool_stats)
	ZEND_FE(smtpx_pool_close, arginfo_smtpx_pool_close)
	ZEND_FE(smtpx_probe, arginfo_smtpx_probe)
	ZEND_FE(smtpx_domain_check, arginfo_smtpx_domain_check)
	ZEND_FE_END
};


static const zend_function_entry class_Smtpx_Exception_methods[] = {
	ZEND_ME(Smtpx_Exception, getSmtpCode, arginfo_class_Smtpx_Exception_getSmtpCode, ZEND_ACC_PUBLIC)
	ZEND_ME(Smtpx_Exception, getEnhancedStatus, arginfo_class_Smtpx_Exception_getEnhancedStatus, ZEND_ACC_PUBLIC)
	ZEND_ME(Smtpx_Exception, getPhase, arginfo_class_Smtpx_Exception_getPhase, ZEND_ACC_PUBLIC)
	ZEND_ME(Smtpx_Exception, isTransient, arginfo_class_Smtpx_Exception_isTransient, ZEND_ACC_PUBLIC)
	ZEND_ME(Smtpx_Exception, isOutcomeUnknown, arginfo_class_Smtpx_Exception_isOutcomeUnknown, ZEND_ACC_PUBLIC)
	ZEND_ME(Smtpx_Exception, getTranscript, arginfo_class_Smtpx_Exception_getTranscript, ZEND_ACC_PUBLIC)
	ZEND_ME(Smtpx_Exception, getHint, arginfo_class_Smtpx_Exception_getHint, ZEND_ACC_PUBLIC)
	ZEND_ME(Smtpx_Exception, getHttpStatus, arginfo_class_Smtpx_Exception_getHttpStatus, ZEND_ACC_PUBLIC)
	ZEND_ME(Smtpx_Exception, getRetryAfter, arginfo_class_Smtpx_Exception_getRetryAfter, ZEND_ACC_PUBLIC)
	ZEND_ME(Smtpx_Exception, getOauthRefreshToken, arginfo_class_Smtpx_Exception_getOauthRefreshToken, ZEND_ACC_PUBLIC)
	ZEND_FE_END
};


static const zend_function_entry class_Smtpx_ConnectException_methods[] = {
	ZEND_FE_END
};


static const zend_function_entry class_Smtpx_TlsException_methods[] = {
	ZEND_FE_END
};


static const zend_function_entry class_Smtpx_AuthException_methods[] = {
	ZEND_FE_END
};


static const zend_function_entry class_Smtpx_RejectedException_methods[] = {
	ZEND_ME(Smtpx_RejectedException, getRejected, arginfo_class_Smtpx_RejectedException_getRejected, ZEND_ACC_PUBLIC)
	ZEND_FE_END
};


static const zend_function_entry class_Smtpx_ProtocolException_methods[] = {
	ZEND_FE_END
};


static const zend_function_entry class_Smtpx_TimeoutException_methods[] = {
	ZEND_FE_END
};


static const zend_function_entry class_Smtpx_Client_methods[] = {
	ZEND_ME(Smtpx_Client, __construct, arginfo_class_Smtpx_Client___construct, ZEND_ACC_PUBLIC)
	ZEND_ME(Smtpx_Client, send, arginfo_class_Smtpx_Client_send, ZEND_ACC_PUBLIC)
	ZEND_ME(Smtpx_Client, sendRaw, arginfo_class_Smtpx_Client_sendRaw, ZEND_ACC_PUBLIC)
	ZEND_ME(Smtpx_Client, close, arginfo_class_Smtpx_Client_close, ZEND_ACC_PUBLIC)
	ZEND_FE_END
};

static void register_smtpx_symbols(int module_number)
{

#if (PHP_VERSION_ID >= 80200)
	zend_add_parameter_attribute(zend_hash_str_find_ptr(CG(function_table), "smtpx_send", sizeof("smtpx_send") - 1), 1, ZSTR_KNOWN(ZEND_STR_SENSITIVEPARAMETER), 0);

	zend_add_parameter_attribute(zend_hash_str_find_ptr(CG(function_table), "smtpx_send_raw", sizeof("smtpx_send_raw") - 1), 3, ZSTR_KNOWN(ZEND_STR_SENSITIVEPARAMETER), 0);

	zend_add_parameter_attribute(zend_hash_str_find_ptr(CG(function_table), "smtpx_probe", sizeof("smtpx_probe") - 1), 0, ZSTR_KNOWN(ZEND_STR_SENSITIVEPARAMETER), 0);

	zend_add_parameter_attribute(zend_hash_str_find_ptr(CG(function_table), "smtpx_domain_check", sizeof("smtpx_domain_check") - 1), 1, ZSTR_KNOWN(ZEND_STR_SENSITIVEPARAMETER), 0);
#endif
}

static zend_class_entry *register_class_Smtpx_Exception(zend_class_entry *class_entry_RuntimeException)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "Smtpx", "Exception", class_Smtpx_Exception_methods);
	class_entry = zend_register_internal_class_ex(&ce, class_entry_RuntimeException);

	zval property_smtpCode_default_value;
	ZVAL_LONG(&property_smtpCode_default_value, 0);
	zend_string *property_smtpCode_name = zend_string_init("smtpCode", sizeof("smtpCode") - 1, 1);
	zend_declare_typed_property(class_entry, property_smtpCode_name, &property_smtpCode_default_value, ZEND_ACC_PROTECTED, NULL, (zend_type) ZEND_TYPE_INIT_MASK(MAY_BE_LONG));
	zend_string_release(property_smtpCode_name);

	zval property_enhancedStatus_default_value;
	ZVAL_NULL(&property_enhancedStatus_default_value);
	zend_string *property_enhancedStatus_name = zend_string_init("enhancedStatus", sizeof("enhancedStatus") - 1, 1);
	zend_declare_typed_property(class_entry, property_enhancedStatus_name, &property_enhancedStatus_default_value, ZEND_ACC_PROTECTED, NULL, (zend_type) ZEND_TYPE_INIT_MASK(MAY_BE_STRING|MAY_BE_NULL));
	zend_string_release(property_enhancedStatus_name);

	zval property_phase_default_value;
	ZVAL_EMPTY_STRING(&property_phase_default_value);
	zend_string *property_phase_name = zend_string_init("phase", sizeof("phase") - 1, 1);
	zend_declare_typed_property(class_entry, property_phase_name, &property_phase_default_value, ZEND_ACC_PROTECTED, NULL, (zend_type) ZEND_TYPE_INIT_MASK(MAY_BE_STRING));
	zend_string_release(property_phase_name);

	zval property_transient_default_value;
	ZVAL_FALSE(&property_transient_default_value);
	zend_string *property_transient_name = zend_string_init("transient", sizeof("transient") - 1, 1);
	zend_declare_typed_property(class_entry, property_transient_name, &property_transient_default_value, ZEND_ACC_PROTECTED, NULL, (zend_type) ZEND_TYPE_INIT_MASK(MAY_BE_BOOL));
	zend_string_release(property_transient_name);

	zval property_outcomeUnknown_default_value;
	ZVAL_FALSE(&property_outcomeUnknown_default_value);
	zend_string *property_outcomeUnknown_name = zend_string_init("outcomeUnknown", sizeof("outcomeUnknown") - 1, 1);
	zend_declare_typed_property(class_entry, property_outcomeUnknown_name, &property_outcomeUnknown_default_value, ZEND_ACC_PROTECTED, NULL, (zend_type) ZEND_TYPE_INIT_MASK(MAY_BE_BOOL));
	zend_string_release(property_outcomeUnknown_name);

	zval property_transcript_default_value;
	ZVAL_NULL(&property_transcript_default_value);
	zend_string *property_transcript_name = zend_string_init("transcript", sizeof("transcript") - 1, 1);
	zend_declare_typed_property(class_entry, property_transcript_name, &property_transcript_default_value, ZEND_ACC_PROTECTED, NULL, (zend_type) ZEND_TYPE_INIT_MASK(MAY_BE_STRING|MAY_BE_NULL));
	zend_string_release(property_transcript_name);

	zval property_hint_default_value;
	ZVAL_EMPTY_STRING(&property_hint_default_value);
	zend_string *property_hint_name = zend_string_init("hint", sizeof("hint") - 1, 1);
	zend_declare_typed_property(class_entry, property_hint_name, &property_hint_default_value, ZEND_ACC_PROTECTED, NULL, (zend_type) ZEND_TYPE_INIT_MASK(MAY_BE_STRING));
	zend_string_release(property_hint_name);

	zval property_httpStatus_default_value;
	ZVAL_LONG(&property_httpStatus_default_value, 0);
	zend_string *property_httpStatus_name = zend_string_init("httpStatus", sizeof("httpStatus") - 1, 1);
	zend_declare_typed_property(class_entry, property_httpStatus_name, &property_httpStatus_default_value, ZEND_ACC_PROTECTED, NULL, (zend_type) ZEND_TYPE_INIT_MASK(MAY_BE_LONG));
	zend_string_release(property_httpStatus_name);

	zval property_retryAfter_default_value;
	ZVAL_NULL(&property_retryAfter_default_value);
	zend_string *property_retryAfter_name = zend_string_init("retryAfter", sizeof("retryAfter") - 1, 1);
	zend_declare_typed_property(class_entry, property_retryAfter_name, &property_retryAfter_default_value, ZEND_ACC_PROTECTED, NULL, (zend_type) ZEND_TYPE_INIT_MASK(MAY_BE_DOUBLE|MAY_BE_NULL));
	zend_string_release(property_retryAfter_name);

	zval property_oauthRefreshToken_default_value;
	ZVAL_NULL(&property_oauthRefreshToken_default_value);
	zend_string *property_oauthRefreshToken_name = zend_string_init("oauthRefreshToken", sizeof("oauthRefreshToken") - 1, 1);
	zend_declare_typed_property(class_entry, property_oauthRefreshToken_name, &property_oauthRefreshToken_default_value, ZEND_ACC_PROTECTED, NULL, (zend_type) ZEND_TYPE_INIT_MASK(MAY_BE_STRING|MAY_BE_NULL));
	zend_string_release(property_oauthRefreshToken_name);

	return class_entry;
}

static zend_class_entry *register_class_Smtpx_ConnectException(zend_class_entry *class_entry_Smtpx_Exception)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "Smtpx", "ConnectException", class_Smtpx_ConnectException_methods);
	class_entry = zend_register_internal_class_ex(&ce, class_entry_Smtpx_Exception);

	return class_entry;
}

static zend_class_entry *register_class_Smtpx_TlsException(zend_class_entry *class_entry_Smtpx_Exception)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "Smtpx", "TlsException", class_Smtpx_TlsException_methods);
	class_entry = zend_register_internal_class_ex(&ce, class_entry_Smtpx_Exception);

	return class_entry;
}

static zend_class_entry *register_class_Smtpx_AuthException(zend_class_entry *class_entry_Smtpx_Exception)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "Smtpx", "AuthException", class_Smtpx_AuthException_methods);
	class_entry = zend_register_internal_class_ex(&ce, class_entry_Smtpx_Exception);

	return class_entry;
}

static zend_class_entry *register_class_Smtpx_RejectedException(zend_class_entry *class_entry_Smtpx_Exception)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "Smtpx", "RejectedException", class_Smtpx_RejectedException_methods);
	class_entry = zend_register_internal_class_ex(&ce, class_entry_Smtpx_Exception);

	zval property_rejected_default_value;
	ZVAL_EMPTY_ARRAY(&property_rejected_default_value);
	zend_string *property_rejected_name = zend_string_init("rejected", sizeof("rejected") - 1, 1);
	zend_declare_typed_property(class_entry, property_rejected_name, &property_rejected_default_value, ZEND_ACC_PROTECTED, NULL, (zend_type) ZEND_TYPE_INIT_MASK(MAY_BE_ARRAY));
	zend_string_release(property_rejected_name);

	return class_entry;
}

static zend_class_entry *register_class_Smtpx_ProtocolException(zend_class_entry *class_entry_Smtpx_Exception)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "Smtpx", "ProtocolException", class_Smtpx_ProtocolException_methods);
	class_entry = zend_register_internal_class_ex(&ce, class_entry_Smtpx_Exception);

	return class_entry;
}

static zend_class_entry *register_class_Smtpx_TimeoutException(zend_class_entry *class_entry_Smtpx_Exception)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "Smtpx", "TimeoutException", class_Smtpx_TimeoutException_methods);
	class_entry = zend_register_internal_class_ex(&ce, class_entry_Smtpx_Exception);

	return class_entry;
}

static zend_class_entry *register_class_Smtpx_Client(void)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "Smtpx", "Client", class_Smtpx_Client_methods);
	class_entry = zend_register_internal_class_ex(&ce, NULL);
	class_entry->ce_flags |= ZEND_ACC_FINAL|ZEND_ACC_NO_DYNAMIC_PROPERTIES|ZEND_ACC_NOT_SERIALIZABLE;
#if (PHP_VERSION_ID >= 80200)


	zend_add_parameter_attribute(zend_hash_str_find_ptr(&class_entry->function_table, "__construct", sizeof("__construct") - 1), 0, ZSTR_KNOWN(ZEND_STR_SENSITIVEPARAMETER), 0);
#endif

	return class_entry;
}
