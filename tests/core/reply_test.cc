// ReplyReader and Reply: RFC 5321 4.2 replies read from bytes as they arrive.
#include "core/reply.h"

#include <gtest/gtest.h>

#include <string>

#include "core/smtp/failure.h"

namespace smtpx {
namespace {

// Feeds `bytes` whole and returns the one reply they hold.
Reply read_one(std::string_view bytes, Phase phase = Phase::mail) {
  ReplyReader reader;
  reader.feed(bytes);
  std::optional<Reply> reply = reader.next(phase);
  EXPECT_TRUE(reply.has_value());
  EXPECT_FALSE(reader.has_buffered_bytes());
  return reply.value_or(Reply{});
}

// The failure a reader reports for `bytes`.
SmtpFailure failure_for(std::string_view bytes, Phase phase) {
  ReplyReader reader;
  reader.feed(bytes);
  try {
    reader.next(phase);
  } catch (const MalformedReply& error) {
    return smtp::failure_from_malformed(error, phase);
  }
  ADD_FAILURE() << "no MalformedReply for: " << bytes;
  return {};
}

TEST(Reply, SingleLineGivesCodeAndText) {
  const Reply reply = read_one("250 Ok\r\n");
  EXPECT_EQ(reply.code, 250);
  EXPECT_EQ(reply.lines, std::vector<std::string>{"Ok"});
  EXPECT_EQ(reply.enhanced_status, "");
}

TEST(Reply, TextEscapesControlBytesTheServerSent) {
  const Reply reply = read_one(std::string_view("554-no\rFORGED 250 Ok\r\n554 \x1b[31mred\0!\r\n", 38));
  EXPECT_EQ(reply.text(), "554 no\\rFORGED 250 Ok / \\x1b[31mred\\0!");
}

TEST(Reply, EnhancedStatusIsTakenFromTheFirstLine) {
  const Reply reply = read_one("250 2.0.0 Ok: queued as 4F2B1\r\n");
  EXPECT_EQ(reply.enhanced_status, "2.0.0");
  EXPECT_EQ(reply.lines, std::vector<std::string>{"2.0.0 Ok: queued as 4F2B1"});
}

TEST(Reply, EnhancedStatusOfTheFirstLineOnlyInAMultiLineReply) {
  const Reply reply = read_one("550-5.7.1 Denied\r\n550 5.1.1 Unknown\r\n");
  EXPECT_EQ(reply.enhanced_status, "5.7.1");
}

TEST(Reply, MultiLineReplyKeepsEveryLineInOrder) {
  const Reply reply =
      read_one("250-mx.example.com Hello\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250 CHUNKING\r\n");
  EXPECT_EQ(reply.code, 250);
  EXPECT_EQ(reply.lines,
            (std::vector<std::string>{"mx.example.com Hello", "PIPELINING", "SIZE 10240000", "CHUNKING"}));
}

TEST(Reply, BareCodeWithoutTextEndsTheReply) {
  const Reply reply = read_one("250\r\n");
  EXPECT_EQ(reply.code, 250);
  EXPECT_EQ(reply.lines, std::vector<std::string>{""});
  EXPECT_EQ(reply.text(), "250");
}

TEST(Reply, BareCodeEndsAMultiLineReply) {
  const Reply reply = read_one("250-first\r\n250\r\n");
  EXPECT_EQ(reply.lines, (std::vector<std::string>{"first", ""}));
}

TEST(Reply, CodeAndSpaceWithoutTextGivesAnEmptyLine) {
  EXPECT_EQ(read_one("354 \r\n").lines, std::vector<std::string>{""});
}

TEST(Reply, BareLineFeedEndsALineLikeCrlf) {
  const Reply reply = read_one("250-one\n250 two\n");
  EXPECT_EQ(reply.lines, (std::vector<std::string>{"one", "two"}));
}

TEST(Reply, TextKeepsSpacesAsSent) {
  EXPECT_EQ(read_one("250  two  spaces \r\n").lines, std::vector<std::string>{" two  spaces "});
}

TEST(Reply, IncompleteLineYieldsNothingYet) {
  ReplyReader reader;
  reader.feed("250 Ok");
  EXPECT_FALSE(reader.next(Phase::mail).has_value());
  EXPECT_TRUE(reader.has_buffered_bytes());
  reader.feed("\r\n");
  ASSERT_TRUE(reader.next(Phase::mail).has_value());
  EXPECT_FALSE(reader.has_buffered_bytes());
}

TEST(Reply, LineWithoutItsLineFeedIsNotComplete) {
  ReplyReader reader;
  reader.feed("250 Ok\r");
  EXPECT_FALSE(reader.next(Phase::mail).has_value());
  reader.feed("\n");
  EXPECT_EQ(reader.next(Phase::mail)->lines, std::vector<std::string>{"Ok"});
}

TEST(Reply, MultiLineReplyIsNotCompleteBeforeItsLastLine) {
  ReplyReader reader;
  reader.feed("250-mx.example.com\r\n250-PIPELINING\r\n");
  EXPECT_FALSE(reader.next(Phase::ehlo).has_value());
  reader.feed("250 CHUNKING\r\n");
  const std::optional<Reply> reply = reader.next(Phase::ehlo);
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->lines, (std::vector<std::string>{"mx.example.com", "PIPELINING", "CHUNKING"}));
}

TEST(Reply, SplitAtEveryBytePositionGivesTheSameReply) {
  const std::string bytes = "250-mx.example.com Hello\r\n250-8BITMIME\r\n250 2.0.0 Ok\r\n";
  for (size_t split = 0; split <= bytes.size(); ++split) {
    ReplyReader reader;
    reader.feed(bytes.substr(0, split));
    std::optional<Reply> reply = reader.next(Phase::ehlo);
    if (split < bytes.size()) {
      EXPECT_FALSE(reply.has_value()) << "split at " << split;
      reader.feed(bytes.substr(split));
      reply = reader.next(Phase::ehlo);
    }
    ASSERT_TRUE(reply.has_value()) << "split at " << split;
    EXPECT_EQ(reply->code, 250);
    EXPECT_EQ(reply->lines, (std::vector<std::string>{"mx.example.com Hello", "8BITMIME", "2.0.0 Ok"}));
    EXPECT_EQ(reply->enhanced_status, "");
    EXPECT_FALSE(reader.has_buffered_bytes());
  }
}

TEST(Reply, FedOneByteAtATimeGivesTheSameReply) {
  const std::string bytes = "250-2.1.5 one\r\n250 two\r\n";
  ReplyReader reader;
  std::optional<Reply> reply;
  for (size_t i = 0; i < bytes.size(); ++i) {
    ASSERT_FALSE(reply.has_value()) << "complete before byte " << i;
    reader.feed(bytes.substr(i, 1));
    reply = reader.next(Phase::rcpt);
  }
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->lines, (std::vector<std::string>{"2.1.5 one", "two"}));
  EXPECT_EQ(reply->enhanced_status, "2.1.5");
}

TEST(Reply, PipelinedRepliesInOneChunkComeOutOneByOne) {
  ReplyReader reader;
  reader.feed(
      "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n550 5.1.1 <nobody@example.com>: unknown\r\n354 End data with "
      "<CR><LF>.<CR><LF>\r\n");
  const std::optional<Reply> mail = reader.next(Phase::mail);
  const std::optional<Reply> rcpt1 = reader.next(Phase::rcpt);
  const std::optional<Reply> rcpt2 = reader.next(Phase::rcpt);
  const std::optional<Reply> data = reader.next(Phase::data);
  ASSERT_TRUE(mail && rcpt1 && rcpt2 && data);
  EXPECT_EQ(mail->enhanced_status, "2.1.0");
  EXPECT_EQ(rcpt1->enhanced_status, "2.1.5");
  EXPECT_EQ(rcpt2->code, 550);
  EXPECT_EQ(rcpt2->enhanced_status, "5.1.1");
  EXPECT_EQ(data->code, 354);
  EXPECT_FALSE(reader.next(Phase::data).has_value());
  EXPECT_FALSE(reader.has_buffered_bytes());
}

TEST(Reply, PipelinedReplyBehindACompleteOneStaysBuffered) {
  ReplyReader reader;
  reader.feed("250 Ok\r\n250-part");
  EXPECT_EQ(reader.next(Phase::mail)->lines, std::vector<std::string>{"Ok"});
  EXPECT_TRUE(reader.has_buffered_bytes());
  EXPECT_FALSE(reader.next(Phase::rcpt).has_value());
  reader.feed("ial\r\n250 done\r\n");
  EXPECT_EQ(reader.next(Phase::rcpt)->lines, (std::vector<std::string>{"partial", "done"}));
}

TEST(Reply, TextJoinsLinesBehindTheCode) {
  Reply reply;
  reply.code = 250;
  reply.lines = {"2.0.0 Ok: queued as ABC"};
  EXPECT_EQ(reply.text(), "250 2.0.0 Ok: queued as ABC");
}

TEST(Reply, TextSeparatesLinesWithSlashes) {
  EXPECT_EQ(
      read_one("550-5.7.1 Message rejected\r\n550-see https://example.com/policy\r\n550 for details\r\n")
          .text(),
      "550 5.7.1 Message rejected / see https://example.com/policy / for details");
}

TEST(Reply, TextLeavesOutEmptyLines) {
  EXPECT_EQ(read_one("250-\r\n250-first\r\n250\r\n").text(), "250 first");
}

TEST(Reply, ClassesFollowTheFirstDigit) {
  Reply reply;
  reply.code = 354;
  EXPECT_TRUE(reply.positive());
  reply.code = 451;
  EXPECT_TRUE(reply.transient());
  EXPECT_FALSE(reply.positive());
  reply.code = 554;
  EXPECT_TRUE(reply.permanent());
  EXPECT_FALSE(reply.transient());
}

TEST(Reply, LineThatIsNotAReplyIsAProtocolErrorNamingPhaseAndLine) {
  const SmtpFailure failure = failure_for("HTTP/1.1 400 Bad Request\r\n", Phase::greeting);
  EXPECT_EQ(failure.kind, ErrorKind::protocol);
  EXPECT_EQ(failure.phase, Phase::greeting);
  EXPECT_EQ(failure.smtp_code, 0);
  EXPECT_EQ(failure.message,
            "the server sent a line that is not an SMTP reply during greeting: \"HTTP/1.1 400 Bad Request\"; "
            "check that the host and port are those of an SMTP server");
}

TEST(Reply, CodeWithoutSeparatorIsAProtocolError) {
  EXPECT_EQ(failure_for("250Ok\r\n", Phase::mail).kind, ErrorKind::protocol);
}

TEST(Reply, ShortLineIsAProtocolError) {
  EXPECT_EQ(failure_for("25\r\n", Phase::mail).kind, ErrorKind::protocol);
}

TEST(Reply, EmptyLineIsAProtocolError) {
  EXPECT_EQ(failure_for("\r\n", Phase::mail).kind, ErrorKind::protocol);
}

TEST(Reply, CodeOutsideTwoToFiveIsAProtocolError) {
  EXPECT_EQ(failure_for("650 Ok\r\n", Phase::mail).kind, ErrorKind::protocol);
  EXPECT_EQ(failure_for("150 Ok\r\n", Phase::mail).kind, ErrorKind::protocol);
  EXPECT_EQ(failure_for("2x0 Ok\r\n", Phase::mail).kind, ErrorKind::protocol);
}

TEST(Reply, CodeChangeWithinAMultiLineReplyIsAProtocolError) {
  const SmtpFailure failure = failure_for("250-first\r\n550 second\r\n", Phase::ehlo);
  EXPECT_EQ(failure.kind, ErrorKind::protocol);
  EXPECT_EQ(failure.phase, Phase::ehlo);
  EXPECT_EQ(failure.message,
            "the server changed the reply code from 250 to 550 within one multi-line reply during ehlo: "
            "\"550 second\"");
}

TEST(Reply, OffendingLineIsShownPrintableAndCutAt200Bytes) {
  std::string line = "\x16\x03\x01";  // a TLS record where a reply was expected
  line += std::string(300, 'x');
  const SmtpFailure failure = failure_for(line + "\r\n", Phase::greeting);
  const std::string shown = "\"\\x16\\x03\\x01" + std::string(197, 'x') + "...\"";
  EXPECT_NE(failure.message.find(shown), std::string::npos) << failure.message;
}

TEST(Reply, ReplyOver64KiBIsAProtocolError) {
  ReplyReader reader;
  const std::string line = "250-" + std::string(1018, 'a') + "\r\n";  // 1 KiB a line
  for (int i = 0; i < 64; ++i) reader.feed(line);
  EXPECT_FALSE(reader.next(Phase::ehlo).has_value());
  reader.feed("250 Ok\r\n");
  try {
    reader.next(Phase::ehlo);
    FAIL() << "no error for a reply over 64 KiB";
  } catch (const MalformedReply& error) {
    EXPECT_EQ(
        std::string(error.what()),
        "the server's reply during ehlo is longer than 65536 bytes; no SMTP server sends that much: check "
        "that the host and port are those of an SMTP server");
  }
}

TEST(Reply, ReplyOfExactly64KiBIsRead) {
  ReplyReader reader;
  const std::string line = "250-" + std::string(1018, 'a') + "\r\n";
  for (int i = 0; i < 63; ++i) reader.feed(line);
  reader.feed("250 " + std::string(1018, 'a') + "\r\n");
  const std::optional<Reply> reply = reader.next(Phase::ehlo);
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->lines.size(), 64u);
}

TEST(Reply, UnendedLineOver64KiBIsAProtocolError) {
  ReplyReader reader;
  reader.feed(std::string(64 * 1024 + 1, 'a'));
  EXPECT_THROW(reader.next(Phase::greeting), MalformedReply);
}

TEST(Reply, ReaderIsEmptyAfterAProtocolError) {
  ReplyReader reader;
  reader.feed("250-one\r\nbogus\r\n250 Ok\r\n");
  EXPECT_THROW(reader.next(Phase::mail), MalformedReply);
  EXPECT_FALSE(reader.has_buffered_bytes());
}

TEST(EnhancedStatus, ClassSubjectDetailFollowedBySpace) {
  EXPECT_EQ(parse_enhanced_status("5.7.8 Authentication failed"), "5.7.8");
}

TEST(EnhancedStatus, AloneOnTheLine) {
  EXPECT_EQ(parse_enhanced_status("4.4.2"), "4.4.2");
}

TEST(EnhancedStatus, SubjectAndDetailOfThreeDigits) {
  EXPECT_EQ(parse_enhanced_status("5.123.456 Odd"), "5.123.456");
}

TEST(EnhancedStatus, ClassMustBeTwoFourOrFive) {
  EXPECT_EQ(parse_enhanced_status("3.0.0 Go on"), "");
  EXPECT_EQ(parse_enhanced_status("1.2.3"), "");
}

TEST(EnhancedStatus, SubjectOrDetailOfFourDigitsIsNone) {
  EXPECT_EQ(parse_enhanced_status("5.1234.1 x"), "");
  EXPECT_EQ(parse_enhanced_status("5.1.1234 x"), "");
}

TEST(EnhancedStatus, MissingPartIsNone) {
  EXPECT_EQ(parse_enhanced_status("5.7 Denied"), "");
  EXPECT_EQ(parse_enhanced_status("5..8 Denied"), "");
  EXPECT_EQ(parse_enhanced_status("5.7. Denied"), "");
}

TEST(EnhancedStatus, MustBeFollowedBySpaceOrEnd) {
  EXPECT_EQ(parse_enhanced_status("2.0.0: Ok"), "");
  EXPECT_EQ(parse_enhanced_status("2.0.0.1"), "");
}

TEST(EnhancedStatus, TextThatMerelyStartsWithADigitIsNone) {
  EXPECT_EQ(parse_enhanced_status("2 recipients"), "");
  EXPECT_EQ(parse_enhanced_status(""), "");
}

}  // namespace
}  // namespace smtpx
