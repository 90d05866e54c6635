// The MIME encoders byte for byte: base64, quoted-printable, encoded words,
// header folding, RFC 2231 parameters, charset names and the type table.
#include "core/mime/encoders.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "base64_decode.h"
#include "core/line_breaks.h"
#include "core/mime/mime_types.h"
#include "core/text/ascii.h"
#include "core/text/hex.h"
#include "core/text/utf8.h"

namespace smtpx::mime {
namespace {

using smtpx::testing::base64_decode;
using text::is_ascii;
using text::is_valid_utf8;

std::vector<std::string> split_words(const std::string& text) {
  std::vector<std::string> words;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find(' ', start);
    if (end == std::string::npos) end = text.size();
    words.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return words;
}

// The bytes one encoded word carries (RFC 2047 4.1 and 4.2).
std::string decode_word(const std::string& word) {
  const std::string b_prefix = "=?UTF-8?B?", q_prefix = "=?UTF-8?Q?";
  const std::string payload = word.substr(b_prefix.size(), word.size() - b_prefix.size() - 2);
  if (word.compare(0, b_prefix.size(), b_prefix) == 0) return base64_decode(payload);
  EXPECT_EQ(word.compare(0, q_prefix.size(), q_prefix), 0) << word;
  std::string out;
  for (size_t i = 0; i < payload.size(); ++i) {
    if (payload[i] == '_') {
      out.push_back(' ');
    } else if (payload[i] == '=') {
      out.push_back(
          static_cast<char>(text::hex_value(payload[i + 1]) * 16 + text::hex_value(payload[i + 2])));
      i += 2;
    } else {
      out.push_back(payload[i]);
    }
  }
  return out;
}

TEST(Base64, MatchesTheRfc4648Vectors) {
  EXPECT_EQ(base64(""), "");
  EXPECT_EQ(base64("f"), "Zg==");
  EXPECT_EQ(base64("fo"), "Zm8=");
  EXPECT_EQ(base64("foo"), "Zm9v");
  EXPECT_EQ(base64("foob"), "Zm9vYg==");
  EXPECT_EQ(base64("fooba"), "Zm9vYmE=");
  EXPECT_EQ(base64("foobar"), "Zm9vYmFy");
}

TEST(Base64, LinesHold76CharactersAndEndInCrlf) {
  const std::string one_line = base64_lines(std::string(57, 'a'));
  EXPECT_EQ(one_line.size(), 78u);
  EXPECT_EQ(one_line.substr(76), "\r\n");
  EXPECT_EQ(base64_lines(std::string(58, 'a')), one_line + "YQ==\r\n");
  EXPECT_EQ(base64_lines(""), "");
}

TEST(Base64, StreamingFedByteByByteEqualsWhole) {
  std::string bytes;
  for (int i = 0; i < 1000; ++i) bytes.push_back(static_cast<char>(i * 7));
  std::string out;
  Base64LineEncoder encoder;
  for (char c : bytes) encoder.feed(std::string_view(&c, 1), out);
  encoder.finish(out);
  EXPECT_EQ(out, base64_lines(bytes));
}

TEST(Base64, DecodeReversesEncodeAcrossLineBreaks) {
  std::string bytes;
  for (int i = 0; i < 300; ++i) bytes.push_back(static_cast<char>(i));
  EXPECT_EQ(base64_decode(base64_lines(bytes)), bytes);
  EXPECT_EQ(base64_decode("Zm9v YmE="), "fooba");
}

TEST(Base64, DecodeRejectsWhatIsNotBase64) {
  EXPECT_THROW(base64_decode("Zm9v!"), std::invalid_argument);
  EXPECT_THROW(base64_decode("Zg="), std::invalid_argument);
  EXPECT_THROW(base64_decode("Zg==Zg=="), std::invalid_argument);
  EXPECT_THROW(base64_decode("Z==="), std::invalid_argument);
}

TEST(QuotedPrintable, EncodesEqualsSignAndNonAscii) {
  EXPECT_EQ(quoted_printable("a=b"), "a=3Db");
  EXPECT_EQ(quoted_printable("H\xC3\xA4llo"), "H=C3=A4llo");
}

TEST(QuotedPrintable, EncodesWhiteSpaceThatEndsALine) {
  EXPECT_EQ(quoted_printable("a \r\nb\t\nc d "), "a=20\r\nb=09\r\nc d=20");
}

TEST(QuotedPrintable, EveryLineBreakBecomesCrlf) {
  EXPECT_EQ(quoted_printable("a\nb\rc\r\nd\r"), "a\r\nb\r\nc\r\nd\r\n");
}

TEST(QuotedPrintable, EncodesADotThatStartsALine) {
  EXPECT_EQ(quoted_printable(".\n..a\nb."), "=2E\r\n=2E.a\r\nb.");
}

TEST(QuotedPrintable, SoftBreaksKeepLinesWithin76) {
  EXPECT_EQ(quoted_printable(std::string(100, 'a')), std::string(75, 'a') + "=\r\n" + std::string(25, 'a'));
  // An escape is never split by the soft break.
  EXPECT_EQ(quoted_printable(std::string(74, 'a') + "="), std::string(74, 'a') + "=\r\n=3D");
  // A dot that a soft break moves to the start of a line is encoded too.
  EXPECT_EQ(quoted_printable(std::string(75, 'a') + "."), std::string(75, 'a') + "=\r\n=2E");
}

TEST(QuotedPrintable, StreamingSplitsAnywhereGiveTheSameBytes) {
  const std::string text = "line one \r\nline\ttwo\t\r\n.dot\rcr\n" + std::string(90, 'x') + " \xE2\x82\xAC";
  const std::string whole = quoted_printable(text);
  for (size_t split = 0; split <= text.size(); ++split) {
    std::string out;
    QuotedPrintableEncoder encoder;
    encoder.feed(std::string_view(text).substr(0, split), out);
    encoder.feed(std::string_view(text).substr(split), out);
    encoder.finish(out);
    EXPECT_EQ(out, whole) << "split at " << split;
  }
}

TEST(CrlfWriter, TurnsEveryLineBreakIntoCrlfAcrossPieces) {
  std::string out;
  smtpx::CrlfWriter normalizer;
  normalizer.feed("a\r", out);
  normalizer.feed("\nb\n", out);
  normalizer.feed("c\r", out);
  normalizer.flush(out);
  EXPECT_EQ(out, "a\r\nb\r\nc\r\n");
}

TEST(EncodedWords, AsciiTextIsLeftAlone) {
  EXPECT_EQ(encode_words("Hello, world"), "Hello, world");
}

TEST(EncodedWords, ChoosesTheShorterForm) {
  // Mostly ASCII: Q is shorter.
  EXPECT_EQ(encode_words("Caf\xC3\xA9 au lait"), "=?UTF-8?Q?Caf=C3=A9_au_lait?=");
  // Mostly non-ASCII: B is shorter.
  EXPECT_EQ(encode_words("\xE2\x82\xAC\xE2\x82\xAC\xE2\x82\xAC"), "=?UTF-8?B?4oKs4oKs4oKs?=");
}

TEST(EncodedWords, TextThatLooksLikeAnEncodedWordIsEncoded) {
  EXPECT_EQ(encode_words("=?x?="), "=?UTF-8?B?PT94Pz0=?=");
}

TEST(EncodedWords, ControlCharactersAreEncoded) {
  EXPECT_EQ(encode_words(std::string("bell\x07here")), "=?UTF-8?Q?bell=07here?=");
}

TEST(EncodedWords, AWordTooLongToFoldIsEncoded) {
  const std::string word(950, 'w');
  EXPECT_EQ(encode_words("short words"), "short words");
  EXPECT_NE(encode_words(word), word);
  EXPECT_LE(longest_line(fold_header("Subject", encode_words(word, "UTF-8", 9))), 76u);
}

TEST(EncodedWords, WordsStayWithin75AndNeverSplitACharacter) {
  // Every prefix of a mix of 1- to 4-byte characters, so a word boundary falls
  // next to every position of every sequence.
  const std::string alphabet = "a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80 b";
  std::string text;
  for (int i = 0; i < 12; ++i) text += alphabet;
  for (size_t length = 1; length <= text.size(); ++length) {
    const std::string prefix = text.substr(0, length);
    if (is_ascii(prefix) || !is_valid_utf8(prefix)) continue;
    std::string decoded;
    for (const std::string& word : split_words(encode_words(prefix))) {
      ASSERT_LE(word.size(), 75u) << word;
      const std::string bytes = decode_word(word);
      ASSERT_TRUE(is_valid_utf8(bytes)) << "a character split in " << word;
      decoded += bytes;
    }
    EXPECT_EQ(decoded, prefix);
  }
}

TEST(EncodedWords, FirstWordLeavesRoomForTheHeaderName) {
  const std::string encoded =
      encode_words(std::string(30, 'x') + "\xC3\xA9" + std::string(60, 'y'), "UTF-8", 9);
  const auto words = split_words(encoded);
  ASSERT_GE(words.size(), 2u);
  EXPECT_LE(9 + words[0].size(), 76u);
}

TEST(DisplayName, AtomsStayAsTheyAre) {
  EXPECT_EQ(encode_display_name("Jane Doe"), "Jane Doe");
}

TEST(DisplayName, SpecialsAreQuoted) {
  EXPECT_EQ(encode_display_name("Doe, John"), "\"Doe, John\"");
  EXPECT_EQ(encode_display_name("a\"b\\c"), "\"a\\\"b\\\\c\"");
  EXPECT_EQ(encode_display_name("two  spaces"), "\"two  spaces\"");
}

TEST(DisplayName, NonAsciiBecomesEncodedWords) {
  EXPECT_EQ(encode_display_name("J\xC3\xB6rg"), "=?UTF-8?B?SsO2cmc=?=");
}

TEST(FoldHeader, ShortValueIsOneLine) {
  EXPECT_EQ(fold_header("X-Tag", "one two"), "X-Tag: one two\r\n");
}

TEST(FoldHeader, FoldsBeforeWhiteSpaceWithin78) {
  std::string value;
  for (int i = 0; i < 20; ++i) value += "word" + std::to_string(i) + " ";
  value.pop_back();
  const std::string folded = fold_header("Subject", value);
  EXPECT_EQ(folded,
            "Subject: word0 word1 word2 word3 word4 word5 word6 word7 word8 word9 word10\r\n"
            " word11 word12 word13 word14 word15 word16 word17 word18 word19\r\n");
}

TEST(FoldHeader, AWordLongerThanALineStaysWhole) {
  const std::string word(100, 'w');
  EXPECT_EQ(fold_header("X-Long", word + " tail"), "X-Long: " + word + "\r\n tail\r\n");
}

TEST(FoldHeader, NeverLeavesALineOfOnlyWhiteSpace) {
  const std::string value = std::string(70, 'a') + "        ";
  EXPECT_EQ(fold_header("X-A", value), "X-A: " + value + "\r\n");
}

TEST(LongestLine, IsMeasuredWithoutTheLineBreak) {
  EXPECT_EQ(longest_line("ab\r\nabcd\r\n"), 4u);
  EXPECT_EQ(longest_line("abc"), 3u);
  EXPECT_EQ(longest_line(""), 0u);
}

TEST(LongestLine, BareLfAndBareCrEndLinesAsOnTheWire) {
  EXPECT_EQ(longest_line("abc\nabcdef\rab"), 6u);
  EXPECT_EQ(longest_line(std::string(999, 'x') + "\n"), 999u);
  EXPECT_EQ(longest_line("\r\n\r\n"), 0u);
}

TEST(MimeParameter, ShortAsciiIsAQuotedString) {
  EXPECT_EQ(mime_parameter("filename", "report.pdf"), "filename=\"report.pdf\"");
  EXPECT_EQ(mime_parameter("filename", "a \"b\".txt"), "filename=\"a \\\"b\\\".txt\"");
}

TEST(MimeParameter, NonAsciiUsesRfc2231) {
  EXPECT_EQ(mime_parameter("filename", "\xE2\x82\xAC rates.pdf"), "filename*=UTF-8''%E2%82%AC%20rates.pdf");
}

TEST(MimeParameter, LongValuesAreSplitIntoSectionsBetweenCharacters) {
  const std::string name = std::string(58, 'a') + "\xC3\xA9" + "b.txt";
  EXPECT_EQ(mime_parameter("filename", name),
            "filename*0*=UTF-8''" + std::string(58, 'a') + "; filename*1*=%C3%A9b.txt");
}

TEST(Utf8, CharsetNamesAreCompared) {
  EXPECT_TRUE(is_utf8_charset("utf-8"));
  EXPECT_TRUE(is_utf8_charset("UTF8"));
  EXPECT_FALSE(is_utf8_charset("ISO-8859-1"));
}

TEST(GuessType, KnownExtensionsInAnyCase) {
  EXPECT_EQ(guess_type("Report.PDF"), "application/pdf");
  EXPECT_EQ(guess_type("photo.jpeg"), "image/jpeg");
  EXPECT_EQ(guess_type("table.xlsx"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  EXPECT_EQ(guess_type("invite.ics"), "text/calendar");
}

TEST(GuessType, AnythingElseIsOctetStream) {
  EXPECT_EQ(guess_type("README"), "application/octet-stream");
  EXPECT_EQ(guess_type("archive.tar.xz"), "application/octet-stream");
  EXPECT_EQ(guess_type("dir.d/file"), "application/octet-stream");
}

}  // namespace
}  // namespace smtpx::mime
