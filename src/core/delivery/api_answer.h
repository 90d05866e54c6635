// What a provider's HTTP answer other than a 2xx means: the one failure
// funnel's SmtpFailure (smtp/failure.h) with the provider's own words, and
// when a transient refusal may be retried (Retry-After). Separate from the
// request so that every answer a server can write is readable on its own
// (tests/fuzz/api_answer_fuzz.cc).
#pragma once

#include <string_view>

#include "../api/provider.h"
#include "../error.h"

namespace smtpx::delivery {

// RFC 9110 10.2.3: Retry-After is a number of seconds (1*DIGIT) or an HTTP
// date. The seconds to wait, at most a day; 0 when absent, past or unreadable.
double retry_after_seconds(std::string_view value);

// The failure `response` (not 2xx) of `provider` means.
SmtpFailure failure_of_answer(const api::Provider& provider, const http::Response& response);

}  // namespace smtpx::delivery
