// What a provider's refusal means (src/core/delivery/api_answer.*): the provider's words,
// the retry answer, and Retry-After as RFC 9110 10.2.3 spells it.
#include "core/delivery/api_answer.h"

#include <gtest/gtest.h>

#include <ctime>

namespace smtpx::delivery {
namespace {

http::Response answer(long status, std::string body, std::string retry_after = {}) {
  http::Response response;
  response.status = status;
  response.body = std::move(body);
  if (!retry_after.empty()) response.headers.emplace_back("retry-after", std::move(retry_after));
  return response;
}

TEST(RetryAfter, DelaySecondsAreDigitsOnly) {
  EXPECT_EQ(retry_after_seconds("7"), 7);
  EXPECT_EQ(retry_after_seconds("0"), 0);
  for (const char* not_seconds : {"", "-5", "7.5", " 7", "0x10", "inf", "1e9", "7 seconds"})
    EXPECT_EQ(retry_after_seconds(not_seconds), 0) << not_seconds;
}

TEST(RetryAfter, AtMostADayHoweverManyDigits) {
  EXPECT_EQ(retry_after_seconds("86399"), 86399);
  EXPECT_EQ(retry_after_seconds(std::string(400, '9')), 86400);
}

TEST(RetryAfter, AnHttpDateCountsFromNow) {
  char date[64];
  const std::time_t later = std::time(nullptr) + 120;
  std::strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", std::gmtime(&later));
  EXPECT_NEAR(retry_after_seconds(date), 120, 2);
  EXPECT_EQ(retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT"), 0);  // past
  EXPECT_EQ(retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT trailing"), 0);
}

TEST(ApiAnswer, TooManyRequestsIsTransientWithTheDelay) {
  const SmtpFailure failure = failure_of_answer(*api::provider_named("sendgrid"),
                                                answer(429, R"({"errors":[{"message":"too many"}]})", "7"));
  EXPECT_TRUE(failure.transient);
  EXPECT_EQ(failure.retry_after, 7);
  EXPECT_EQ(failure.http_status, 429);
  EXPECT_NE(failure.message.find("sendgrid answered HTTP 429: too many"), std::string::npos)
      << failure.message;
}

TEST(ApiAnswer, TheProvidersWordsAreQuotedPrintable) {
  const SmtpFailure failure = failure_of_answer(*api::provider_named("postmark"),
                                                answer(422, R"({"Message":"bad\r\nX-Injected: 1"})"));
  EXPECT_FALSE(failure.transient);
  EXPECT_EQ(failure.message.find('\n'), std::string::npos) << failure.message;
}

// Found by tests/fuzz/api_answer_fuzz.cc: the cut at 500 bytes split a character.
TEST(ApiAnswer, TheProvidersWordsAreCutOnACharacterBoundary) {
  const std::string words = std::string(499, 'x') + "\xc3\xa9 is not a valid sender";
  const SmtpFailure failure =
      failure_of_answer(*api::provider_named("brevo"), answer(400, "{\"message\":\"" + words + "\"}"));
  EXPECT_EQ(failure.message, "brevo answered HTTP 400: " + std::string(499, 'x'));
}

TEST(ApiAnswer, AProxysPageIsNotQuoted) {
  const SmtpFailure failure =
      failure_of_answer(*api::provider_named("brevo"), answer(502, "<html><body>Bad gateway</body></html>"));
  EXPECT_TRUE(failure.transient);
  EXPECT_EQ(failure.message.find("html"), std::string::npos) << failure.message;
}

}  // namespace
}  // namespace smtpx::delivery
