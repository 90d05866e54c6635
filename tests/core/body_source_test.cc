// StringBodySource: a composed message handed out in pieces.
#include "core/body_source.h"

#include <gtest/gtest.h>

namespace smtpx {
namespace {

TEST(StringBodySource, HandsOutPiecesOfHintBytes) {
  const std::string bytes = "Subject: x\r\n\r\nhello\r\n";  // 21 bytes
  StringBodySource source(bytes);
  std::string out;
  ASSERT_TRUE(source.read(out, 8));
  EXPECT_EQ(out, "Subject:");
  ASSERT_TRUE(source.read(out, 8));
  EXPECT_EQ(out, "Subject: x\r\n\r\nhe");
  ASSERT_TRUE(source.read(out, 8));
  EXPECT_EQ(out, bytes);
  EXPECT_FALSE(source.read(out, 8));
  EXPECT_EQ(out, bytes);
}

TEST(StringBodySource, AppendsToWhatIsThere) {
  StringBodySource source("body");
  std::string out = "BDAT 4 LAST\r\n";
  ASSERT_TRUE(source.read(out, 4096));
  EXPECT_EQ(out, "BDAT 4 LAST\r\nbody");
}

TEST(StringBodySource, HintLargerThanTheRestGivesTheRest) {
  StringBodySource source("abc");
  std::string out;
  ASSERT_TRUE(source.read(out, 65536));
  EXPECT_EQ(out, "abc");
  EXPECT_FALSE(source.read(out, 65536));
}

TEST(StringBodySource, HintZeroGivesTheRest) {
  StringBodySource source("abcdef");
  std::string out;
  ASSERT_TRUE(source.read(out, 2));
  ASSERT_TRUE(source.read(out, 0));
  EXPECT_EQ(out, "abcdef");
  EXPECT_FALSE(source.read(out, 0));
}

TEST(StringBodySource, EmptyMessageIsCompleteAtOnce) {
  StringBodySource source("");
  std::string out;
  EXPECT_FALSE(source.read(out, 10));
  EXPECT_EQ(out, "");
  EXPECT_EQ(source.size_hint(), 0u);
}

TEST(StringBodySource, SizeHintIsTheWholeSize) {
  StringBodySource source("0123456789");
  std::string out;
  source.read(out, 4);
  EXPECT_EQ(source.size_hint(), 10u);
}

TEST(StringBodySource, SevenBitMessageHasNo8bit) {
  EXPECT_FALSE(StringBodySource("Subject: plain\r\n\r\nASCII only ~\x7f\r\n").has_8bit());
}

TEST(StringBodySource, Utf8MessageHas8bit) {
  EXPECT_TRUE(StringBodySource(u8"Subject: x\r\n\r\nGrüße\r\n").has_8bit());
}

TEST(StringBodySource, HighByteAtTheVeryEndCounts) {
  EXPECT_TRUE(StringBodySource(std::string(100000, 'a') + "\x80").has_8bit());
}

TEST(StringBodySource, Has8bitDoesNotChangeAsPiecesAreRead) {
  StringBodySource source("\xff rest");
  std::string out;
  while (source.read(out, 1)) {
  }
  EXPECT_TRUE(source.has_8bit());
}

}  // namespace
}  // namespace smtpx
