// The core's results as the arrays smtpx returns: what a send did, the ports a
// race tried, and the pieces smtpx_probe() and smtpx_pool_stats() share. Each
// builder only calls Zend's array functions, which may bail out: they run inside
// finish (call.h), where no C++ object with a destructor is alive.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "../core/delivery/mailer.h"
#include "php.h"

namespace smtpx::php {

// The array smtpx_send() and Smtpx\Client::send() return.
void result_to_array(const delivery::SendResult& result, zval* out);
// address => reply, for rejected recipients.
void rejected_to_array(const std::vector<std::pair<std::string, std::string>>& rejected, zval* out);
// ['port' => 587, 'tls' => 'starttls'].
void port_choice_to_array(const delivery::PortChoice& choice, zval* out);

// `key` => `text`, or null when `text` is empty.
void add_optional_string(zval* array, const char* key, std::string_view text);
void add_string(zval* array, const char* key, std::string_view text);

}  // namespace smtpx::php
