// Capabilities::from_ehlo: the extensions a server offers, read from its EHLO reply.
#include "core/capabilities.h"

#include <gtest/gtest.h>

namespace smtpx {
namespace {

Capabilities from_lines(std::vector<std::string> lines) {
  Reply ehlo;
  ehlo.code = 250;
  ehlo.lines = std::move(lines);
  return Capabilities::from_ehlo(ehlo);
}

TEST(Capabilities, PostfixSubmissionOffer) {
  const Capabilities caps =
      from_lines({"mx.example.com", "PIPELINING", "SIZE 10240000", "VRFY", "ETRN", "STARTTLS",
                  "ENHANCEDSTATUSCODES", "8BITMIME", "DSN", "SMTPUTF8", "CHUNKING"});
  EXPECT_TRUE(caps.esmtp);
  EXPECT_TRUE(caps.pipelining);
  EXPECT_TRUE(caps.chunking);
  EXPECT_TRUE(caps.starttls);
  EXPECT_TRUE(caps.eightbitmime);
  EXPECT_TRUE(caps.smtputf8);
  EXPECT_TRUE(caps.enhanced_status_codes);
  EXPECT_TRUE(caps.dsn);
  EXPECT_TRUE(caps.size_advertised);
  EXPECT_EQ(caps.size_limit, 10240000u);
  EXPECT_TRUE(caps.auth.empty());
}

TEST(Capabilities, GreetingLineAloneOffersNothing) {
  const Capabilities caps = from_lines({"mx.example.com Hello [127.0.0.1]"});
  EXPECT_TRUE(caps.esmtp);
  EXPECT_FALSE(caps.pipelining);
  EXPECT_FALSE(caps.chunking);
  EXPECT_FALSE(caps.starttls);
  EXPECT_FALSE(caps.size_advertised);
  EXPECT_TRUE(caps.keywords.empty());
}

TEST(Capabilities, GreetingLineIsNotAKeyword) {
  const Capabilities caps = from_lines({"PIPELINING"});
  EXPECT_FALSE(caps.pipelining);
}

TEST(Capabilities, DefaultIsNoEsmtp) {
  EXPECT_FALSE(Capabilities{}.esmtp);
}

TEST(Capabilities, KeywordsAreCaseInsensitive) {
  const Capabilities caps = from_lines({"mx", "pipelining", "Chunking", "startTLS", "8bitmime", "smtputf8"});
  EXPECT_TRUE(caps.pipelining);
  EXPECT_TRUE(caps.chunking);
  EXPECT_TRUE(caps.starttls);
  EXPECT_TRUE(caps.eightbitmime);
  EXPECT_TRUE(caps.smtputf8);
}

TEST(Capabilities, KeywordsAreKeptAsSent) {
  const Capabilities caps = from_lines({"mx", "size 1000", "X-Custom a b", "auth plain"});
  EXPECT_EQ(caps.keywords, (std::vector<std::string>{"size 1000", "X-Custom a b", "auth plain"}));
}

TEST(Capabilities, KeywordMustMatchWhole) {
  const Capabilities caps = from_lines({"mx", "PIPELININGX", "XCHUNKING", "STARTTLSFOO"});
  EXPECT_FALSE(caps.pipelining);
  EXPECT_FALSE(caps.chunking);
  EXPECT_FALSE(caps.starttls);
}

TEST(Capabilities, SizeWithNumberStatesTheLimit) {
  const Capabilities caps = from_lines({"mx", "SIZE 35882577"});
  EXPECT_TRUE(caps.size_advertised);
  EXPECT_EQ(caps.size_limit, 35882577u);
}

TEST(Capabilities, SizeWithoutNumberStatesNoLimit) {
  const Capabilities caps = from_lines({"mx", "SIZE"});
  EXPECT_TRUE(caps.size_advertised);
  EXPECT_EQ(caps.size_limit, 0u);
}

TEST(Capabilities, SizeZeroStatesNoLimit) {
  const Capabilities caps = from_lines({"mx", "SIZE 0"});
  EXPECT_TRUE(caps.size_advertised);
  EXPECT_EQ(caps.size_limit, 0u);
}

TEST(Capabilities, SizeBeyond32BitsIsRead) {
  EXPECT_EQ(from_lines({"mx", "SIZE 157286400000"}).size_limit, 157286400000u);
}

TEST(Capabilities, SizeThatIsNotANumberStatesNoLimit) {
  const Capabilities caps = from_lines({"mx", "SIZE big"});
  EXPECT_TRUE(caps.size_advertised);
  EXPECT_EQ(caps.size_limit, 0u);
}

TEST(Capabilities, SizeThatOverflowsStatesNoLimit) {
  EXPECT_EQ(from_lines({"mx", "SIZE 99999999999999999999999"}).size_limit, 0u);
}

TEST(Capabilities, AuthMechanismsInServerOrder) {
  EXPECT_EQ(from_lines({"mx", "AUTH PLAIN LOGIN XOAUTH2"}).auth,
            (std::vector<std::string>{"PLAIN", "LOGIN", "XOAUTH2"}));
}

TEST(Capabilities, AuthMechanismsAreUpperCased) {
  EXPECT_EQ(from_lines({"mx", "auth plain login"}).auth, (std::vector<std::string>{"PLAIN", "LOGIN"}));
}

TEST(Capabilities, AuthWithEqualsSignCounts) {
  EXPECT_EQ(from_lines({"mx", "AUTH=LOGIN PLAIN"}).auth, (std::vector<std::string>{"LOGIN", "PLAIN"}));
}

TEST(Capabilities, AuthOnTwoLinesListsEachMechanismOnce) {
  EXPECT_EQ(from_lines({"mx", "AUTH LOGIN PLAIN CRAM-MD5", "AUTH=LOGIN PLAIN"}).auth,
            (std::vector<std::string>{"LOGIN", "PLAIN", "CRAM-MD5"}));
}

TEST(Capabilities, AuthToleratesRunsOfSpaces) {
  EXPECT_EQ(from_lines({"mx", "AUTH  PLAIN   LOGIN "}).auth, (std::vector<std::string>{"PLAIN", "LOGIN"}));
}

TEST(Capabilities, AuthWithoutMechanismsOffersNone) {
  EXPECT_TRUE(from_lines({"mx", "AUTH"}).auth.empty());
}

TEST(Capabilities, OffersAuthIgnoresCase) {
  const Capabilities caps = from_lines({"mx", "AUTH PLAIN LOGIN"});
  EXPECT_TRUE(caps.offers_auth("PLAIN"));
  EXPECT_TRUE(caps.offers_auth("login"));
  EXPECT_FALSE(caps.offers_auth("XOAUTH2"));
}

}  // namespace
}  // namespace smtpx
