// DKIM's relaxed canonicalization, against RFC 6376 3.4.5's example.
#include <gtest/gtest.h>

#include "core/dkim/canonical.h"

namespace smtpx::dkim {
namespace {

std::string relaxed_body(std::string_view body) {
  std::string out;
  RelaxedBody canonical;
  const auto append = [&](std::string_view piece) { out.append(piece); };
  // Fed a byte at a time: the result may not depend on where the pieces break.
  for (char c : body) canonical.feed(std::string_view(&c, 1), append);
  canonical.finish(append);
  return out;
}

TEST(Dkim, RelaxedHeadersAsRfc6376Example) {
  EXPECT_EQ(relaxed_header("A", " X"), "a:X\r\n");
  EXPECT_EQ(relaxed_header("B ", " Y\t\r\n\tZ  "), "b:Y Z\r\n");
}

TEST(Dkim, RelaxedBodyAsRfc6376Example) {
  EXPECT_EQ(relaxed_body(" C \r\nD \t E\r\n\r\n\r\n"), " C\r\nD E\r\n");
}

TEST(Dkim, RelaxedBodyEdges) {
  EXPECT_EQ(relaxed_body(""), "");
  EXPECT_EQ(relaxed_body("\r\n\r\n"), "");
  EXPECT_EQ(relaxed_body("x"), "x\r\n");
  EXPECT_EQ(relaxed_body("a\r\n \t\r\nb"), "a\r\n\r\nb\r\n");
}

}  // namespace
}  // namespace smtpx::dkim
