#include "core/smtp/data_encoder.h"

#include <gtest/gtest.h>

using smtpx::smtp::DataEncoder;

namespace {

std::string encode(DataEncoder::Mode mode, std::initializer_list<std::string_view> pieces) {
  DataEncoder encoder(mode);
  std::string out;
  for (std::string_view piece : pieces) encoder.feed(piece, out);
  encoder.finish(out);
  return out;
}

}  // namespace

TEST(DataEncoder, DoublesALeadingDotForData) {
  EXPECT_EQ(encode(DataEncoder::Mode::data, {".hidden\r\n..two\r\nmid.dle\r\n"}),
            "..hidden\r\n...two\r\nmid.dle\r\n.\r\n");
}

TEST(DataEncoder, LeavesDotsAloneForBdat) {
  EXPECT_EQ(encode(DataEncoder::Mode::bdat, {".hidden\r\n"}), ".hidden\r\n");
}

TEST(DataEncoder, TurnsBareLfAndBareCrIntoCrlf) {
  // SMTP smuggling needs a bare LF or CR before a dot; neither may reach the wire.
  EXPECT_EQ(encode(DataEncoder::Mode::data, {"a\nb\rc\r\n"}), "a\r\nb\r\nc\r\n.\r\n");
  EXPECT_EQ(encode(DataEncoder::Mode::data, {"x\n.\nmail from"}), "x\r\n..\r\nmail from\r\n.\r\n");
}

TEST(DataEncoder, KeepsCrlfSplitAcrossFeeds) {
  EXPECT_EQ(encode(DataEncoder::Mode::data, {"a\r", "\n.b"}), "a\r\n..b\r\n.\r\n");
}

TEST(DataEncoder, EndsAnUnterminatedLastLine) {
  EXPECT_EQ(encode(DataEncoder::Mode::bdat, {"no newline"}), "no newline\r\n");
}

TEST(DataEncoder, EmptyMessageIsJustTheTerminator) {
  EXPECT_EQ(encode(DataEncoder::Mode::data, {}), ".\r\n");
  EXPECT_EQ(encode(DataEncoder::Mode::bdat, {}), "");
}

TEST(DataEncoder, TrailingCrBecomesALineEnd) {
  EXPECT_EQ(encode(DataEncoder::Mode::data, {"end\r"}), "end\r\n.\r\n");
}
