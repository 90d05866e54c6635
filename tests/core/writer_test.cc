// The message writer: exact bytes of small fixed messages, the shape of the
// MIME tree for each mix of parts, the choice of transfer encodings, the
// refusal of bad input naming its field, and streaming of large attachments.
#include "core/mime/writer.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <regex>
#include <string>

#include "base64_decode.h"
#include "core/error.h"
#include "core/line_breaks.h"
#include "core/mime/encoders.h"

namespace smtpx::mime {
namespace {

ComposeOptions fixed_options() {
  ComposeOptions options;
  options.date = "Tue, 25 Nov 2026 13:05:00 +0000";
  options.message_id = "1@example.com";
  options.boundary_seed = "t";
  return options;
}

Message simple_message() {
  Message message;
  message.from = {"", "alice@example.com"};
  message.to = {{"Bob", "bob@example.org"}};
  message.subject = "Hello";
  return message;
}

const char* const kHeaders =
    "Date: Tue, 25 Nov 2026 13:05:00 +0000\r\n"
    "From: alice@example.com\r\n"
    "To: Bob <bob@example.org>\r\n"
    "Subject: Hello\r\n"
    "Message-ID: <1@example.com>\r\n"
    "MIME-Version: 1.0\r\n";

// The field an InvalidInput names, or "" when composing succeeds.
std::string refused_field(const Message& message, const ComposeOptions& options = fixed_options()) {
  try {
    compose(message, options);
  } catch (const InvalidInput& error) {
    return error.field();
  }
  return "";
}

class TempFile {
 public:
  explicit TempFile(const std::string& bytes, const std::string& suffix = "") {
    std::string pattern = "/tmp/smtpx-writer-test-XXXXXX" + suffix;
    const int fd = mkstemps(pattern.data(), static_cast<int>(suffix.size()));
    path_ = pattern;
    close(fd);
    std::ofstream(path_, std::ios::binary) << bytes;
  }
  ~TempFile() { std::remove(path_.c_str()); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

TEST(MessageWriter, TextOnlyIsOneTextPlainPart) {
  Message message = simple_message();
  message.text = "Hi Bob.\n";
  EXPECT_EQ(compose(message, fixed_options()), std::string(kHeaders) +
                                                   "Content-Type: text/plain; charset=UTF-8\r\n"
                                                   "Content-Transfer-Encoding: 7bit\r\n"
                                                   "\r\n"
                                                   "Hi Bob.\r\n");
}

TEST(MessageWriter, HtmlOnlyIsOneTextHtmlPartEndingInCrlf) {
  Message message = simple_message();
  message.html = "<p>Hi</p>";
  EXPECT_EQ(compose(message, fixed_options()), std::string(kHeaders) +
                                                   "Content-Type: text/html; charset=UTF-8\r\n"
                                                   "Content-Transfer-Encoding: 7bit\r\n"
                                                   "\r\n"
                                                   "<p>Hi</p>\r\n");
}

TEST(MessageWriter, TextAndHtmlAreAlternativesTextFirst) {
  Message message = simple_message();
  message.text = "Hi Bob.\n";
  message.html = "<p>Hi Bob.</p>";
  EXPECT_EQ(compose(message, fixed_options()),
            std::string(kHeaders) +
                "Content-Type: multipart/alternative; boundary=\"=_smtpx_t_1\"\r\n"
                "\r\n"
                "--=_smtpx_t_1\r\n"
                "Content-Type: text/plain; charset=UTF-8\r\n"
                "Content-Transfer-Encoding: 7bit\r\n"
                "\r\n"
                "Hi Bob.\r\n"
                "\r\n"
                "--=_smtpx_t_1\r\n"
                "Content-Type: text/html; charset=UTF-8\r\n"
                "Content-Transfer-Encoding: 7bit\r\n"
                "\r\n"
                "<p>Hi Bob.</p>\r\n"
                "--=_smtpx_t_1--\r\n");
}

TEST(MessageWriter, AttachmentsWrapEverythingInMixed) {
  Message message = simple_message();
  message.text = "See attached.";
  Attachment attachment;
  attachment.data = "hello";
  attachment.name = "a.txt";
  message.attachments = {attachment};
  EXPECT_EQ(compose(message, fixed_options()),
            std::string(kHeaders) +
                "Content-Type: multipart/mixed; boundary=\"=_smtpx_t_1\"\r\n"
                "\r\n"
                "--=_smtpx_t_1\r\n"
                "Content-Type: text/plain; charset=UTF-8\r\n"
                "Content-Transfer-Encoding: 7bit\r\n"
                "\r\n"
                "See attached.\r\n"
                "--=_smtpx_t_1\r\n"
                "Content-Type: text/plain; name=\"a.txt\"\r\n"
                "Content-Transfer-Encoding: base64\r\n"
                "Content-Disposition: attachment; filename=\"a.txt\"\r\n"
                "\r\n"
                "aGVsbG8=\r\n"
                "\r\n"
                "--=_smtpx_t_1--\r\n");
}

TEST(MessageWriter, InlinePartsAreRelatedToTheHtmlInsideTheAlternative) {
  Message message = simple_message();
  message.text = "Logo";
  message.html = "<img src=\"cid:logo\">";
  Attachment logo;
  logo.data = "PNG";
  logo.name = "logo.png";
  logo.content_id = "logo";
  Attachment report;
  report.data = "%PDF";
  report.name = "r.pdf";
  message.attachments = {logo, report};
  EXPECT_EQ(compose(message, fixed_options()),
            std::string(kHeaders) +
                "Content-Type: multipart/mixed; boundary=\"=_smtpx_t_3\"\r\n"
                "\r\n"
                "--=_smtpx_t_3\r\n"
                "Content-Type: multipart/alternative; boundary=\"=_smtpx_t_2\"\r\n"
                "\r\n"
                "--=_smtpx_t_2\r\n"
                "Content-Type: text/plain; charset=UTF-8\r\n"
                "Content-Transfer-Encoding: 7bit\r\n"
                "\r\n"
                "Logo\r\n"
                "--=_smtpx_t_2\r\n"
                "Content-Type: multipart/related; type=\"text/html\"; boundary=\"=_smtpx_t_1\"\r\n"
                "\r\n"
                "--=_smtpx_t_1\r\n"
                "Content-Type: text/html; charset=UTF-8\r\n"
                "Content-Transfer-Encoding: 7bit\r\n"
                "\r\n"
                "<img src=\"cid:logo\">\r\n"
                "--=_smtpx_t_1\r\n"
                "Content-Type: image/png; name=\"logo.png\"\r\n"
                "Content-Transfer-Encoding: base64\r\n"
                "Content-Disposition: inline; filename=\"logo.png\"\r\n"
                "Content-ID: <logo>\r\n"
                "\r\n"
                "UE5H\r\n"
                "\r\n"
                "--=_smtpx_t_1--\r\n"
                "\r\n"
                "--=_smtpx_t_2--\r\n"
                "\r\n"
                "--=_smtpx_t_3\r\n"
                "Content-Type: application/pdf; name=\"r.pdf\"\r\n"
                "Content-Transfer-Encoding: base64\r\n"
                "Content-Disposition: attachment; filename=\"r.pdf\"\r\n"
                "\r\n"
                "JVBERg==\r\n"
                "\r\n"
                "--=_smtpx_t_3--\r\n");
}

TEST(MessageWriter, InlinePartWithoutHtmlIsAnInlineAttachmentInMixed) {
  Message message = simple_message();
  message.text = "x";
  Attachment logo;
  logo.data = "PNG";
  logo.name = "logo.png";
  logo.content_id = "<logo@example.com>";
  message.attachments = {logo};
  const std::string out = compose(message, fixed_options());
  EXPECT_NE(out.find("Content-Type: multipart/mixed;"), std::string::npos);
  EXPECT_EQ(out.find("multipart/related"), std::string::npos);
  EXPECT_NE(
      out.find("Content-Disposition: inline; filename=\"logo.png\"\r\nContent-ID: <logo@example.com>\r\n"),
      std::string::npos);
}

TEST(MessageWriter, NoBodyAtAllIsAnEmptyTextPart) {
  EXPECT_EQ(compose(simple_message(), fixed_options()), std::string(kHeaders) +
                                                            "Content-Type: text/plain; charset=UTF-8\r\n"
                                                            "Content-Transfer-Encoding: 7bit\r\n"
                                                            "\r\n");
}

TEST(MessageWriter, HeadersComeInOrderWithExtrasBeforeContentType) {
  Message message = simple_message();
  message.from = {"Alice", "alice@example.com"};
  message.cc = {{"", "carol@example.org"}};
  message.bcc = {{"", "hidden@example.org"}};
  message.reply_to = {{"Doe, Jane", "jane@example.org"}};
  message.headers = {{"List-Unsubscribe", "<https://example.com/u?id=1>"},
                     {"List-Unsubscribe-Post", "List-Unsubscribe=One-Click"}};
  message.text = "x";
  EXPECT_EQ(compose(message, fixed_options()),
            "Date: Tue, 25 Nov 2026 13:05:00 +0000\r\n"
            "From: Alice <alice@example.com>\r\n"
            "To: Bob <bob@example.org>\r\n"
            "Cc: carol@example.org\r\n"
            "Reply-To: \"Doe, Jane\" <jane@example.org>\r\n"
            "Subject: Hello\r\n"
            "Message-ID: <1@example.com>\r\n"
            "MIME-Version: 1.0\r\n"
            "List-Unsubscribe: <https://example.com/u?id=1>\r\n"
            "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"
            "Content-Type: text/plain; charset=UTF-8\r\n"
            "Content-Transfer-Encoding: 7bit\r\n"
            "\r\n"
            "x\r\n");
}

TEST(MessageWriter, NonAsciiSubjectAndNamesAreEncodedWordsFoldedWithin76) {
  Message message = simple_message();
  message.from = {"J\xC3\xB6rg", "joerg@example.com"};
  message.subject =
      "Gr\xC3\xBC\xC3\x9F"
      "e aus K\xC3\xB6ln, ein ziemlich langer Betreff, der gefaltet werden muss";
  message.text = "x";
  const std::string out = compose(message, fixed_options());
  EXPECT_NE(out.find("From: =?UTF-8?B?SsO2cmc=?= <joerg@example.com>\r\n"), std::string::npos);
  EXPECT_NE(out.find("Subject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe_aus_K=C3=B6ln=2C_ein_ziemlich_langer_Be?=\r\n"
                     " =?UTF-8?Q?treff=2C_der_gefaltet_werden_muss?=\r\n"),
            std::string::npos)
      << out;
}

TEST(MessageWriter, GeneratedDateAndMessageIdHaveTheirRfcForms) {
  Message message = simple_message();
  message.text = "x";
  MessageWriter writer(message, {});
  std::string out;
  while (writer.read(out, 1024)) {
  }
  EXPECT_TRUE(std::regex_match(writer.message_id(), std::regex("[0-9a-f]{32}@example\\.com")));
  EXPECT_TRUE(std::regex_search(
      out, std::regex("^Date: (Mon|Tue|Wed|Thu|Fri|Sat|Sun), [0-9]{1,2} [A-Z][a-z]{2} [0-9]{4} "
                      "[0-9]{2}:[0-9]{2}:[0-9]{2} \\+0000\r\n")));
  EXPECT_NE(out.find("Message-ID: <" + writer.message_id() + ">\r\n"), std::string::npos);
  EXPECT_NE(MessageWriter(message, {}).message_id(), writer.message_id());
}

TEST(MessageWriter, RandomBoundariesDifferPerLevel) {
  Message message = simple_message();
  message.text = "x";
  message.html = "y";
  message.attachments = {Attachment{"", "data", "d.bin", "", ""}};
  const std::string out = compose(message, {});
  std::smatch match;
  ASSERT_TRUE(std::regex_search(out, match, std::regex("boundary=\"=_smtpx_([0-9a-f]{24})_1\"")));
  EXPECT_NE(out.find("boundary=\"=_smtpx_" + match[1].str() + "_2\""), std::string::npos);
}

TEST(MessageWriter, NonAsciiTextIsQuotedPrintableWithout8bitmime) {
  Message message = simple_message();
  message.text =
      "Gr\xC3\xBC\xC3\x9F"
      "e\n";
  MessageWriter writer(message, fixed_options());
  std::string out;
  while (writer.read(out, 1024)) {
  }
  EXPECT_NE(out.find("Content-Transfer-Encoding: quoted-printable\r\n\r\nGr=C3=BC=C3=9Fe\r\n"),
            std::string::npos);
  EXPECT_FALSE(writer.has_8bit());
}

TEST(MessageWriter, NonAsciiTextIs8bitWhenTheServerTakesIt) {
  Message message = simple_message();
  message.text =
      "Gr\xC3\xBC\xC3\x9F"
      "e\n";
  message.attachments = {Attachment{"", "data", "d.bin", "", ""}};
  ComposeOptions options = fixed_options();
  options.server_8bitmime = true;
  MessageWriter writer(message, options);
  std::string out;
  while (writer.read(out, 1024)) {
  }
  EXPECT_NE(out.find("Content-Transfer-Encoding: 8bit\r\n\r\nGr\xC3\xBC\xC3\x9F"
                     "e\r\n"),
            std::string::npos);
  // RFC 2045 6.4: the enclosing multipart says 8bit too.
  EXPECT_NE(out.find("boundary=\"=_smtpx_t_1\"\r\nContent-Transfer-Encoding: 8bit\r\n"), std::string::npos);
  EXPECT_TRUE(writer.has_8bit());
}

TEST(MessageWriter, AsciiTextWithALineOver998IsQuotedPrintable) {
  Message message = simple_message();
  message.text = std::string(999, 'a');
  ComposeOptions options = fixed_options();
  options.server_8bitmime = true;
  const std::string out = compose(message, options);
  EXPECT_NE(out.find("Content-Transfer-Encoding: quoted-printable\r\n"), std::string::npos);
  EXPECT_LE(longest_line(out), 78u);
}

TEST(MessageWriter, BareLineBreaksInTextBecomeCrlf) {
  Message message = simple_message();
  message.text = "a\nb\rc";
  const std::string out = compose(message, fixed_options());
  EXPECT_EQ(out.substr(out.size() - 13), "\r\n\r\na\r\nb\r\nc\r\n");
}

TEST(MessageWriter, BccAppearsInNoHeader) {
  Message message = simple_message();
  message.bcc = {{"Hidden", "hidden@example.org"}};
  message.text = "x";
  EXPECT_EQ(compose(message, fixed_options()).find("hidden"), std::string::npos);
}

TEST(MessageWriter, NonAsciiAttachmentNameUsesRfc2231AndEncodedWords) {
  Message message = simple_message();
  message.attachments = {Attachment{"", "x", "\xE2\x82\xAC rates.pdf", "", ""}};
  const std::string out = compose(message, fixed_options());
  EXPECT_NE(out.find("Content-Type: application/pdf; name=\"=?UTF-8?B?4oKsIHJhdGVzLnBkZg==?=\"\r\n"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("Content-Disposition: attachment; filename*=UTF-8''%E2%82%AC%20rates.pdf\r\n"),
            std::string::npos);
}

TEST(MessageWriter, AttachmentNameComesFromThePathAndTypeFromTheName) {
  TempFile file("%PDF-1.4", ".pdf");
  Message message = simple_message();
  message.attachments = {Attachment{file.path(), "", "", "", ""}};
  const std::string out = compose(message, fixed_options());
  const std::string name = file.path().substr(sizeof("/tmp/") - 1);
  EXPECT_NE(out.find("Content-Type: application/pdf; name=\"" + name + "\"\r\n"), std::string::npos);
  EXPECT_NE(out.find(base64_lines("%PDF-1.4")), std::string::npos);
}

TEST(MessageWriter, AnIdnDomainIsPunycodeWithoutSmtputf8) {
  Message message = simple_message();
  message.to = {{"",
                 "bob@b\xC3\xBC"
                 "cher.example"}};
  message.from = {"",
                  "alice@b\xC3\xBC"
                  "cher.example"};
  message.text = "x";
  ComposeOptions options = fixed_options();
  options.message_id.clear();
  MessageWriter writer(message, options);
  std::string out;
  while (writer.read(out, 1024)) {
  }
  EXPECT_NE(out.find("To: bob@xn--bcher-kva.example\r\n"), std::string::npos);
  EXPECT_NE(out.find("From: alice@xn--bcher-kva.example\r\n"), std::string::npos);
  EXPECT_NE(writer.message_id().find("@xn--bcher-kva.example"), std::string::npos);
  EXPECT_FALSE(writer.has_8bit());
}

TEST(MessageWriter, AUtf8AddressStaysRawWithSmtputf8AndMakesTheMessage8bit) {
  Message message = simple_message();
  message.to = {{"J\xC3\xB6rg", "j\xC3\xB6rg@example.org"}};
  message.text = "x";
  ComposeOptions options = fixed_options();
  options.server_smtputf8 = true;
  MessageWriter writer(message, options);
  std::string out;
  while (writer.read(out, 1024)) {
  }
  // RFC 6532 3.2: the address raw; the display name is encoded all the same.
  EXPECT_NE(out.find("To: =?UTF-8?B?SsO2cmc=?= <j\xC3\xB6rg@example.org>\r\n"), std::string::npos);
  EXPECT_TRUE(writer.has_8bit());
}

TEST(MessageWriterRefuses, AUtf8LocalPartWithoutSmtputf8) {
  Message message = simple_message();
  message.to = {{"", "bob@example.org"}, {"", "j\xC3\xB6rg@example.org"}};
  EXPECT_EQ(refused_field(message), "to[1]");
}

TEST(MessageWriter, QuotesInAnAttachmentNameAreEscaped) {
  Message message = simple_message();
  message.attachments = {Attachment{"", "x", "say \"hi\".txt", "", ""}};
  const std::string out = compose(message, fixed_options());
  EXPECT_NE(out.find("Content-Type: text/plain; name=\"say \\\"hi\\\".txt\"\r\n"), std::string::npos) << out;
  EXPECT_NE(out.find("Content-Disposition: attachment; filename=\"say \\\"hi\\\".txt\"\r\n"),
            std::string::npos);
}

TEST(MessageWriterRefuses, ACharsetNameThatIsNotOne) {
  Message message = simple_message();
  message.charset = "utf-8?q";
  EXPECT_EQ(refused_field(message), "charset");
  message.charset = std::string(41, 'x');  // no room left in a 75-character encoded word
  EXPECT_EQ(refused_field(message), "charset");
  message.charset = std::string(40, 'x');
  message.text = "ascii";
  EXPECT_EQ(refused_field(message), "");
}

TEST(MessageWriterRefuses, CrOrLfInTheSubject) {
  Message message = simple_message();
  message.subject = "Hi\r\nBcc: victim@example.org";
  EXPECT_EQ(refused_field(message), "subject");
}

TEST(MessageWriterRefuses, CrOrLfOrNulInAnExtraHeader) {
  Message message = simple_message();
  message.headers = {{"X-Foo", "a\nb"}};
  EXPECT_EQ(refused_field(message), "headers.X-Foo");
  message.headers = {{"X-Foo", std::string("a\0b", 3)}};
  EXPECT_EQ(refused_field(message), "headers.X-Foo");
}

TEST(MessageWriterRefuses, AnInvalidHeaderName) {
  Message message = simple_message();
  message.headers = {{"X Foo", "a"}};
  EXPECT_EQ(refused_field(message), "headers.X Foo");
  message.headers = {{"X-Foo:", "a"}};
  EXPECT_EQ(refused_field(message), "headers.X-Foo:");
}

TEST(MessageWriterRefuses, HeadersSmtpxSetsOrThatHaveTheirOwnKey) {
  for (const char* name : {"Content-Type", "mime-version", "Content-Transfer-Encoding", "BCC", "From", "To",
                           "Cc", "Reply-To", "Subject", "Date", "Message-ID", "Return-Path"}) {
    Message message = simple_message();
    message.headers = {{name, "x"}};
    EXPECT_EQ(refused_field(message), std::string("headers.") + name);
  }
}

TEST(MessageWriterRefuses, SaysWhichKeyToUseInstead) {
  Message message = simple_message();
  message.headers = {{"Bcc", "x@example.org"}};
  try {
    compose(message, fixed_options());
    FAIL();
  } catch (const InvalidInput& error) {
    EXPECT_NE(std::string(error.what()).find("use the 'bcc' key"), std::string::npos);
  }
}

TEST(MessageWriterRefuses, NonUtf8TextWhenTheCharsetIsUtf8) {
  Message message = simple_message();
  message.text = "caf\xE9";
  EXPECT_EQ(refused_field(message), "text");
  message.text.reset();
  message.html = "caf\xE9";
  EXPECT_EQ(refused_field(message), "html");
  message.html.reset();
  message.subject = "caf\xE9";
  EXPECT_EQ(refused_field(message), "subject");
}

TEST(MessageWriterRefuses, NothingWhenTheCharsetIsLatin1) {
  Message message = simple_message();
  message.charset = "ISO-8859-1";
  message.text = "caf\xE9";
  const std::string out = compose(message, fixed_options());
  EXPECT_NE(out.find("Content-Type: text/plain; charset=ISO-8859-1\r\n"
                     "Content-Transfer-Encoding: quoted-printable\r\n\r\ncaf=E9\r\n"),
            std::string::npos);
}

TEST(MessageWriterRefuses, AnUnreadableAttachmentPathInTheConstructor) {
  Message message = simple_message();
  message.attachments = {Attachment{"", "ok", "ok.txt", "", ""},
                         Attachment{"/nonexistent/smtpx/file.pdf", "", "", "", ""}};
  EXPECT_THROW(MessageWriter(message, fixed_options()), InvalidInput);
  EXPECT_EQ(refused_field(message), "attachments[1].path");
  message.attachments[1].path = "/tmp";
  EXPECT_EQ(refused_field(message), "attachments[1].path");
}

TEST(MessageWriterRefuses, BadAttachmentNamesTypesAndContentIds) {
  Message message = simple_message();
  message.attachments = {Attachment{"", "x", "a\r\n.txt", "", ""}};
  EXPECT_EQ(refused_field(message), "attachments[0].name");
  message.attachments = {Attachment{"", "x", "a.txt", "text", ""}};
  EXPECT_EQ(refused_field(message), "attachments[0].type");
  message.attachments = {Attachment{"", "x", "a.txt", "", "has space"}};
  EXPECT_EQ(refused_field(message), "attachments[0].inline");
  message.attachments = {Attachment{"", "x", "a.txt", "text/plain; name=\"r\xc3\xa9sum\xc3\xa9.txt\"", ""}};
  EXPECT_EQ(refused_field(message), "attachments[0].type");
  message.attachments = {Attachment{"", "x", "a.txt", "text/plain; format=flowed", ""}};
  EXPECT_EQ(refused_field(message), "");
}

TEST(MessageWriterRefuses, CrOrLfInADisplayName) {
  Message message = simple_message();
  message.cc = {{"", "carol@example.org"}, {"Evil\r\nBcc: x", "e@example.org"}};
  EXPECT_EQ(refused_field(message), "cc[1]");
}

// Reads the writer to the end with `hint`, returning everything and the most
// that one read() call appended.
std::pair<std::string, size_t> read_all(MessageWriter& writer, size_t hint) {
  std::string all, piece;
  size_t largest = 0;
  while (writer.read(piece, hint)) {
    largest = std::max(largest, piece.size());
    all += piece;
    piece.clear();
  }
  return {all, largest};
}

TEST(MessageWriterStreams, AnyHintGivesTheSameBytes) {
  Message message = simple_message();
  message.text =
      "Gr\xC3\xBC\xC3\x9F"
      "e\n" +
      std::string(200, 'x');
  message.html = "<p>" + std::string(300, 'y') + "</p>";
  message.attachments = {Attachment{"", std::string(1000, '\x01'), "d.bin", "", ""}};
  const std::string whole = compose(message, fixed_options());
  for (size_t hint : {1, 2, 3, 7, 64, 1000}) {
    MessageWriter writer(message, fixed_options());
    EXPECT_EQ(read_all(writer, hint).first, whole) << "hint " << hint;
  }
}

TEST(MessageWriterStreams, AFiveMegabyteFileInBoundedPieces) {
  std::string original(5 * 1024 * 1024, '\0');
  unsigned state = 12345;
  for (char& c : original) {
    state = state * 1103515245 + 12345;
    c = static_cast<char>(state >> 16);
  }
  TempFile file(original);
  Message message = simple_message();
  message.text = "Five megabytes attached.";
  message.attachments = {Attachment{file.path(), "", "big.bin", "", ""}};
  MessageWriter writer(message, fixed_options());
  const auto [all, largest] = read_all(writer, 64 * 1024);
  EXPECT_LT(largest, 256u * 1024);

  const std::string start = "Content-Disposition: attachment; filename=\"big.bin\"\r\n\r\n";
  const size_t begin = all.find(start);
  ASSERT_NE(begin, std::string::npos);
  const size_t end = all.find("\r\n--=_smtpx_t_1--\r\n", begin);
  ASSERT_NE(end, std::string::npos);
  const std::string encoded = all.substr(begin + start.size(), end - begin - start.size());
  EXPECT_EQ(longest_line(encoded), 76u);
  EXPECT_TRUE(smtpx::testing::base64_decode(encoded) == original);
}

}  // namespace
}  // namespace smtpx::mime

namespace smtpx::mime {
namespace {

// RFC 1870: the size declared before sending is the size of what read() produces.
size_t declared_size(const Message& message, const ComposeOptions& options = fixed_options()) {
  return MessageWriter(message, options).size_hint();
}

TEST(MessageWriterSize, IsExactForEveryShapeOfMessage) {
  const TempFile file(std::string(100'001, '\x7f') + "tail");
  std::vector<std::pair<std::string, Message>> cases;
  Message text = simple_message();
  text.text = "Hi Bob.\nBare LF\rbare CR\r\nCRLF, and no break at the end";
  cases.emplace_back("text", text);
  Message quoted = simple_message();
  quoted.text = u8"Grüße aus Köln, trailing space \n" + std::string(2000, 'a') + " \t";
  cases.emplace_back("quoted-printable", quoted);
  Message both = simple_message();
  both.text = "plain\n";
  both.html = "<p>html</p>";
  cases.emplace_back("alternative", both);
  Message attached = simple_message();
  attached.text = "see attached\n";
  attached.html = "<img src=\"cid:logo\">";
  attached.attachments = {Attachment{"", std::string(1000, 'z'), "logo.png", "", "logo"},
                          Attachment{file.path(), "", "", "", ""}, Attachment{"", "", "empty.txt", "", ""},
                          Attachment{"", "ab", "two.bin", "", ""}};
  cases.emplace_back("related and mixed, data and file", attached);
  Message empty = simple_message();
  cases.emplace_back("no body", empty);
  for (const auto& [name, message] : cases) {
    EXPECT_EQ(declared_size(message), compose(message, fixed_options()).size()) << name;
    ComposeOptions eight_bit = fixed_options();
    eight_bit.server_8bitmime = true;
    EXPECT_EQ(declared_size(message, eight_bit), compose(message, eight_bit).size()) << name << ", 8BITMIME";
  }
}

TEST(MessageWriterSize, Base64LengthsAreArithmetic) {
  for (size_t bytes : {0u, 1u, 2u, 3u, 56u, 57u, 58u, 114u, 1000u, 25'000'000u}) {
    std::string out;
    Base64LineEncoder encoder;
    encoder.feed(std::string(bytes, 'q'), out);
    encoder.finish(out);
    EXPECT_EQ(base64_lines_size(bytes), out.size()) << bytes;
  }
}

}  // namespace
}  // namespace smtpx::mime
