// The shared text helpers: ASCII classes and case folding, UTF-8 (RFC 3629),
// hex digits, and the escaping of text quoted in messages.
#include <gtest/gtest.h>

#include <string>

#include "core/text/ascii.h"
#include "core/text/escape.h"
#include "core/text/hex.h"
#include "core/text/utf8.h"

namespace smtpx::text {
namespace {

// --- ascii

TEST(Ascii, IsAsciiChecksEveryByte) {
  EXPECT_TRUE(is_ascii(""));
  EXPECT_TRUE(is_ascii("plain text that is longer than one word of eight bytes"));
  EXPECT_FALSE(is_ascii("\xC3\xA9"));
  EXPECT_FALSE(is_ascii("12345678\x80"));  // past the first eight bytes
  EXPECT_FALSE(
      is_ascii("1234567\x80"
               "12345678"));
}

TEST(Ascii, WhiteSpaceIsSpaceAndTab) {
  EXPECT_TRUE(is_wsp(' '));
  EXPECT_TRUE(is_wsp('\t'));
  EXPECT_FALSE(is_wsp('\r'));
  EXPECT_FALSE(is_wsp('\n'));
  EXPECT_FALSE(is_wsp('\xA0'));  // a byte of U+00A0 in UTF-8, not white space here
}

TEST(Ascii, ControlsAreC0AndDel) {
  EXPECT_TRUE(is_control('\0'));
  EXPECT_TRUE(is_control('\t'));
  EXPECT_TRUE(is_control('\x1f'));
  EXPECT_TRUE(is_control('\x7f'));
  EXPECT_FALSE(is_control(' '));
  EXPECT_FALSE(is_control('\x80'));  // part of a UTF-8 sequence, not a control byte
}

TEST(Ascii, HasControlFindsAnyControlByte) {
  EXPECT_FALSE(has_control("token-\xC3\xA9 with spaces"));
  EXPECT_TRUE(has_control("a\r\nb"));
  EXPECT_TRUE(has_control(std::string("a\0b", 3)));
  EXPECT_TRUE(has_control("del\x7f"));
}

TEST(Ascii, AtextIsLettersDigitsAndTheRfc5322Symbols) {
  for (char c : std::string("aZ09!#$%&'*+-/=?^_`{|}~")) EXPECT_TRUE(is_atext(c)) << c;
  for (char c : std::string(" \"(),.:;<>@[\\]\x7f\x80")) EXPECT_FALSE(is_atext(c)) << c;
}

TEST(Ascii, CaseFoldingTouchesOnlyAsciiLetters) {
  EXPECT_EQ(to_lower("MiXeD-09 \xC3\x89"), "mixed-09 \xC3\x89");
  EXPECT_EQ(to_upper("auth=plain \xC3\xA9"), "AUTH=PLAIN \xC3\xA9");
  EXPECT_EQ(to_lower('Q'), 'q');
  EXPECT_EQ(to_lower('\xC9'), '\xC9');
}

TEST(Ascii, ComparisonsIgnoreCase) {
  EXPECT_TRUE(equals_ignoring_case("Content-Type", "content-TYPE"));
  EXPECT_FALSE(equals_ignoring_case("utf-8", "utf-"));
  EXPECT_TRUE(contains_ignoring_case("451 Maximum Credits Exceeded", "maximum credits exceeded"));
  EXPECT_FALSE(contains_ignoring_case("451 try later", "credits"));
  EXPECT_TRUE(contains_ignoring_case("anything", ""));
}

// --- utf8

TEST(Utf8, AcceptsWellFormedText) {
  EXPECT_TRUE(is_valid_utf8(""));
  EXPECT_TRUE(is_valid_utf8("a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80"));
  EXPECT_TRUE(is_valid_utf8("eight ascii bytes, then \xC3\xA9"));
}

TEST(Utf8, RejectsMalformedSequences) {
  EXPECT_FALSE(is_valid_utf8("\xC0\xAF"));          // overlong "/"
  EXPECT_FALSE(is_valid_utf8("\xE0\x80\xAF"));      // overlong in three bytes
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // past U+10FFFF
  EXPECT_FALSE(is_valid_utf8("\xF8\x88\x80\x80"));  // five-byte lead
  EXPECT_FALSE(is_valid_utf8("\xE2\x82"));          // truncated
  EXPECT_FALSE(is_valid_utf8("\x80"));              // lone continuation
  EXPECT_FALSE(is_valid_utf8("12345678\xC3("));     // after the ASCII fast path
}

TEST(Utf8, DecodesCodePoints) {
  std::u32string points;
  ASSERT_TRUE(decode_utf8("a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80", points));
  EXPECT_EQ(points, (std::u32string{U'a', 0xE9, 0x20AC, 0x1F600}));
  std::u32string refused;
  EXPECT_FALSE(decode_utf8("a\xED\xA0\x80", refused));
}

TEST(Utf8, EncodesEachLengthAndDecodesBack) {
  std::string out;
  for (char32_t point : {U'a', char32_t{0xE9}, char32_t{0x20AC}, char32_t{0x1F600}, char32_t{0x10FFFF}})
    append_utf8(out, point);
  EXPECT_EQ(out, "a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\xF4\x8F\xBF\xBF");
  std::u32string points;
  ASSERT_TRUE(decode_utf8(out, points));
  EXPECT_EQ(points, (std::u32string{U'a', 0xE9, 0x20AC, 0x1F600, 0x10FFFF}));
}

TEST(Utf8, SequenceLengthIsOneForAByteThatStartsNoCharacter) {
  const std::string text = "a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80";
  EXPECT_EQ(utf8_sequence_length(text, 0), 1u);
  EXPECT_EQ(utf8_sequence_length(text, 1), 2u);
  EXPECT_EQ(utf8_sequence_length(text, 3), 3u);
  EXPECT_EQ(utf8_sequence_length(text, 6), 4u);
  EXPECT_EQ(utf8_sequence_length(text, 7), 1u);        // a continuation byte
  EXPECT_EQ(utf8_sequence_length("\xE2\x82", 0), 1u);  // truncated
  EXPECT_EQ(utf8_sequence_length("\xC0\xAF", 0), 1u);  // overlong
}

TEST(Utf8, PrefixEndsOnACharacterBoundary) {
  const std::string text =
      "ab\xE2\x82\xAC"
      "cd";
  EXPECT_EQ(utf8_prefix_length(text, 2), 2u);
  EXPECT_EQ(utf8_prefix_length(text, 3), 2u);
  EXPECT_EQ(utf8_prefix_length(text, 4), 2u);
  EXPECT_EQ(utf8_prefix_length(text, 5), 5u);
  EXPECT_EQ(utf8_prefix_length(text, 100), text.size());
  // Bytes that are not UTF-8 cost at most three bytes of the prefix.
  EXPECT_EQ(utf8_prefix_length(std::string(10, '\x80'), 8), 5u);
}

// --- hex

TEST(Hex, DigitsInTheCaseAsked) {
  std::string out;
  append_hex(out, 0x3d);
  append_hex(out, 0xfe);
  append_hex(out, 0xfe, HexCase::upper);
  EXPECT_EQ(out, "3dfeFE");
  const unsigned char bytes[] = {0x00, 0x7f, 0xab};
  EXPECT_EQ(to_hex(bytes, sizeof bytes), "007fab");
}

TEST(Hex, ValuesOfEitherCase) {
  EXPECT_EQ(hex_value('0'), 0);
  EXPECT_EQ(hex_value('9'), 9);
  EXPECT_EQ(hex_value('a'), 10);
  EXPECT_EQ(hex_value('F'), 15);
  EXPECT_EQ(hex_value('g'), -1);
  EXPECT_EQ(hex_value('%'), -1);
}

// --- escape

TEST(Escape, ControlBytesCannotForgeLinesOrTerminalCodes) {
  EXPECT_EQ(printable(std::string("a\r\nb\0c\x1b[31m\x7f", 12)), "a\\r\\nb\\0c\\x1b[31m\\x7f");
  EXPECT_EQ(printable("caf\xC3\xA9 \t"), "caf\xC3\xA9 \\x09");
}

TEST(Escape, QuotedIsCutOnACharacterBoundary) {
  EXPECT_EQ(quoted("short", 10), "\"short\"");
  EXPECT_EQ(quoted("0123456789", 10), "\"0123456789\"");
  EXPECT_EQ(quoted("0123456789abc", 10), "\"0123456789...\"");
  EXPECT_EQ(quoted("12345678\xC3\xA9", 9), "\"12345678...\"");
  EXPECT_EQ(quoted("line\r\nforged", 100), "\"line\\r\\nforged\"");
}

}  // namespace
}  // namespace smtpx::text
