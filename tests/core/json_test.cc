// The JSON the API transports write and read (RFC 8259).
#include "core/api/json.h"

#include <gtest/gtest.h>

namespace smtpx::api::json {
namespace {

TEST(Json, QuoteEscapesWhatJsonRequiresAndKeepsUtf8) {
  EXPECT_EQ(quote("a\"b\\c\n\r\t\x01\x7f Grüße"), "\"a\\\"b\\\\c\\n\\r\\t\\u0001\\u007f Grüße\"");
}

TEST(Json, ObjectsSkipUnsetOptionalMembers) {
  Object object;
  object.string("email", "a@example.com").string_if_set("name", "").raw("n", "[1]");
  EXPECT_EQ(object.text(), "{\"email\":\"a@example.com\",\"n\":[1]}");
}

TEST(Json, ParsesWhatTheProvidersAnswer) {
  const auto body = parse(
      R"({"id":"<1@mg>","message":"Queued. Thank you.","errors":[{"message":"bad"}],"n":-1.5e2,"ok":true,"none":null})");
  ASSERT_TRUE(body);
  EXPECT_EQ(body->string_at("id"), "<1@mg>");
  EXPECT_EQ(body->find("errors")->items.at(0).string_at("message"), "bad");
  EXPECT_EQ(body->find("n")->number, -150);
  EXPECT_TRUE(body->find("ok")->boolean);
  EXPECT_EQ(body->find("none")->type, Value::Type::null);
  EXPECT_EQ(body->string_at("missing"), "");
}

TEST(Json, DecodesEscapesAndSurrogatePairs) {
  const auto text = parse(R"("a\u00e9\ud83d\ude00\n\/")");
  ASSERT_TRUE(text);
  EXPECT_EQ(text->string, "a\xc3\xa9\xf0\x9f\x98\x80\n/");
  EXPECT_EQ(parse(R"("\ud83d")")->string, "\xef\xbf\xbd");  // a lone half is U+FFFD
}

TEST(Json, WhatIsNotJsonIsAbsent) {
  for (const char* text : {"", "<html>", "{\"a\":}", "[1,]", "\"open", "{\"a\":1} x", "tru", "\"\x01\""})
    EXPECT_FALSE(parse(text)) << text;
}

TEST(Json, NestingIsBounded) {
  EXPECT_TRUE(parse(std::string(32, '[') + std::string(32, ']')));
  EXPECT_FALSE(parse(std::string(100000, '[') + std::string(100000, ']')));
}

}  // namespace
}  // namespace smtpx::api::json
