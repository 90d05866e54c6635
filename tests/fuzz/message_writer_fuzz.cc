// The whole message writer (src/core/mime/writer.*) on any message a caller
// may describe. Properties: only InvalidInput is thrown; the message has CRLF
// line breaks only and no line over 998 octets; size_hint() is its exact size;
// reading it in small pieces gives the same bytes; has_8bit() is true exactly
// when a byte is 8-bit, which happens only where the server allows it (a body
// only with 8BITMIME, a header only with SMTPUTF8); the top header block holds
// exactly the headers smtpx writes and the caller's extra ones (no value
// injected another); and taking the MIME tree apart gives every part back: the
// subject, the text and HTML with CRLF line breaks, each attachment's bytes, in
// the order of the tree.
#include <fuzzer/FuzzedDataProvider.h>

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "base64_decode.h"
#include "core/error.h"
#include "core/line_breaks.h"
#include "core/message.h"
#include "core/mime/encoders.h"
#include "core/mime/message_headers.h"
#include "core/mime/writer.h"
#include "core/text/ascii.h"
#include "mime_decoders.h"
#include "properties.h"

namespace smtpx::fuzz {
namespace {

constexpr std::string_view kCharsets[] = {"UTF-8", "ISO-8859-1", "utf8"};
constexpr std::string_view kHeaderNames[] = {"X-Tag", "List-Unsubscribe", "Subject", "X-\xc3\xa9",
                                             "Bad Name"};
constexpr std::string_view kTypes[] = {"", "application/pdf", "text/plain; charset=\"UTF-8\"", "image/png",
                                       "bad"};

// One MIME entity taken apart: its unfolded headers (names lower-cased) and body.
struct Entity {
  std::multimap<std::string, std::string> headers;
  std::string_view body;
  std::vector<Entity> parts;
};

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

const std::string& header(const Entity& entity, const std::string& name) {
  static const std::string none;
  const auto found = entity.headers.find(name);
  return found == entity.headers.end() ? none : found->second;
}

// RFC 5322 2.2.3 unfolding and RFC 2046 5.1.1 delimiters, as strictly as smtpx writes them.
Entity parse_entity(std::string_view text) {
  Entity entity;
  const size_t blank = text.find("\r\n\r\n");
  require(blank != std::string_view::npos, "an entity has a header block ended by a blank line");
  std::string_view block = text.substr(0, blank + 2);
  entity.body = text.substr(blank + 4);
  std::string name, value;
  const auto flush = [&] {
    if (!name.empty()) entity.headers.emplace(lower(name), value);
  };
  for (std::string_view line : crlf_lines(block)) {
    if (!line.empty() && (line.front() == ' ' || line.front() == '\t')) {
      require(!name.empty(), "a continuation line follows a header");
      value.append(line);
      continue;
    }
    flush();
    const size_t colon = line.find(": ");
    require(colon != std::string_view::npos && colon > 0, "each header line is \"Name: value\"");
    name = std::string(line.substr(0, colon));
    value = std::string(line.substr(colon + 2));
  }
  flush();
  const std::string& type = header(entity, "content-type");
  if (type.rfind("multipart/", 0) != 0) return entity;
  const size_t start = type.find("boundary=\"");
  require(start != std::string::npos, "a multipart names its boundary");
  const std::string boundary = type.substr(start + 10, type.find('"', start + 10) - start - 10);
  const std::string first = "--" + boundary + "\r\n", delimiter = "\r\n--" + boundary;
  require(entity.body.substr(0, first.size()) == first, "a multipart starts with its first delimiter");
  size_t at = first.size();
  while (true) {
    const size_t next = entity.body.find(delimiter, at);
    require(next != std::string_view::npos, "every part ends at a delimiter");
    entity.parts.push_back(parse_entity(entity.body.substr(at, next - at)));
    at = next + delimiter.size();
    if (entity.body.compare(at, 2, "--") == 0) {
      require(entity.body.substr(at + 2) == "\r\n", "nothing follows the close delimiter");
      return entity;
    }
    require(entity.body.compare(at, 2, "\r\n") == 0, "a delimiter ends its line");
    at += 2;
  }
}

void leaves_of(const Entity& entity, std::vector<const Entity*>& out) {
  if (entity.parts.empty()) out.push_back(&entity);
  for (const Entity& part : entity.parts) leaves_of(part, out);
}

std::string decoded_body(const Entity& leaf) {
  const std::string encoding = lower(header(leaf, "content-transfer-encoding"));
  if (encoding == "base64") {
    try {
      return testing::base64_decode(leaf.body);
    } catch (const std::invalid_argument&) {
      require(false, "a base64 body is base64");
    }
  }
  if (encoding == "quoted-printable") {
    std::string decoded;
    require(quoted_printable_decode(leaf.body, decoded), "a quoted-printable body is quoted-printable");
    return decoded;
  }
  require(encoding == "7bit" || encoding == "8bit", "a known transfer encoding");
  return std::string(leaf.body);
}

std::string decoded_words(const std::string& value, std::string_view charset) {
  std::string out, bytes;
  for (std::string_view word : split(value, " ")) {
    require(decode_encoded_word(word, charset, bytes), "the subject is encoded words");
    out += bytes;
  }
  return out;
}

// A part's text as the reader gets it: CRLF line breaks; a message of one part ends with a complete line.
std::string text_as_sent(std::string_view text, bool single_part) {
  std::string out = crlf_normalised(text);
  if (single_part && !out.empty() && !ends_with_crlf(out)) out.append("\r\n");
  return out;
}

Mailbox mailbox_from(FuzzedDataProvider& provider, const char* fallback) {
  const std::string text = provider.ConsumeRandomLengthString(80);
  try {
    return parse_mailbox(text, "fuzz");
  } catch (const InvalidInput&) {
    return parse_mailbox(fallback, "fuzz");
  }
}

Message message_from(FuzzedDataProvider& provider) {
  Message message;
  message.charset =
      std::string(kCharsets[provider.ConsumeIntegralInRange<size_t>(0, std::size(kCharsets) - 1)]);
  message.from = mailbox_from(provider, "Alice <alice@example.com>");
  for (int i = provider.ConsumeIntegralInRange(0, 2); i > 0; --i)
    message.to.push_back(mailbox_from(provider, "bob@example.org"));
  if (provider.ConsumeBool()) message.cc.push_back(mailbox_from(provider, "carol@example.org"));
  if (provider.ConsumeBool()) message.reply_to.push_back(mailbox_from(provider, "dave@example.org"));
  message.subject = provider.ConsumeRandomLengthString(300);
  if (provider.ConsumeBool()) message.text = provider.ConsumeRandomLengthString(3000);
  if (provider.ConsumeBool()) message.html = provider.ConsumeRandomLengthString(3000);
  for (int i = provider.ConsumeIntegralInRange(0, 2); i > 0; --i) {
    const std::string_view name =
        kHeaderNames[provider.ConsumeIntegralInRange<size_t>(0, std::size(kHeaderNames) - 1)];
    message.headers.emplace_back(std::string(name), provider.ConsumeRandomLengthString(200));
  }
  for (int i = provider.ConsumeIntegralInRange(0, 2); i > 0; --i) {
    Attachment attachment;
    attachment.name = provider.ConsumeRandomLengthString(100);
    attachment.type = std::string(kTypes[provider.ConsumeIntegralInRange<size_t>(0, std::size(kTypes) - 1)]);
    if (provider.ConsumeBool()) attachment.content_id = provider.ConsumeRandomLengthString(20);
    attachment.data = provider.ConsumeRandomLengthString(2000);
    message.attachments.push_back(std::move(attachment));
  }
  return message;
}

void check_top_headers(const Entity& top, const Message& message, const std::string& message_id) {
  std::multimap<std::string, std::string> expected_names = {
      {"date", ""}, {"from", ""}, {"message-id", ""}, {"mime-version", ""}, {"content-type", ""}};
  if (!message.to.empty()) expected_names.emplace("to", "");
  if (!message.cc.empty()) expected_names.emplace("cc", "");
  if (!message.reply_to.empty()) expected_names.emplace("reply-to", "");
  if (!message.subject.empty()) expected_names.emplace("subject", "");
  if (!header(top, "content-transfer-encoding").empty())
    expected_names.emplace("content-transfer-encoding", "");
  for (const auto& [name, value] : message.headers) expected_names.emplace(lower(name), "");
  require(top.headers.size() == expected_names.size(), "the header block holds exactly the headers written");
  for (const auto& [name, value] : expected_names)
    require(top.headers.count(name) == expected_names.count(name), "each header as often as written");
  require(header(top, "message-id") == "<" + message_id + ">", "the Message-ID as reported");
  if (!message.subject.empty()) {
    const std::string& subject = header(top, "subject");
    require((mime::needs_encoded_words(message.subject) ? decoded_words(subject, message.charset)
                                                        : subject) == message.subject,
            "the subject reads back");
  }
}

void check_parts(const Entity& top, const Message& message) {
  std::vector<const Entity*> leaves;
  leaves_of(top, leaves);
  const bool single = top.parts.empty();
  std::vector<std::string> expected;
  if (message.text) expected.push_back(text_as_sent(*message.text, single));
  if (message.html) expected.push_back(text_as_sent(*message.html, single));
  // RFC 2387: with HTML, parts with a content id go beside it, before the others.
  for (bool inline_pass : {true, false})
    for (const Attachment& attachment : message.attachments)
      if ((message.html && !attachment.content_id.empty()) == inline_pass)
        expected.push_back(attachment.data);
  if (expected.empty()) expected.push_back("");
  require(leaves.size() == expected.size(), "a leaf for every part");
  for (size_t i = 0; i < leaves.size(); ++i)
    require(decoded_body(*leaves[i]) == expected[i], "each part reads back");
}

}  // namespace
}  // namespace smtpx::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace smtpx::fuzz;
  namespace mime = smtpx::mime;
  FuzzedDataProvider provider(data, size);
  mime::ComposeOptions options;
  options.server_8bitmime = provider.ConsumeBool();
  options.server_smtputf8 = provider.ConsumeBool();
  options.date = "Tue, 25 Nov 2026 13:05:00 +0000";
  // Random, as in a real send (text cannot guess it), and the same for both writers below.
  options.boundary_seed = mime::random_hex(8);
  options.message_id = mime::random_hex(8) + "@example.com";
  const size_t hint = provider.ConsumeIntegralInRange<size_t>(1, 300);
  const smtpx::Message message = message_from(provider);

  std::string composed;
  std::optional<mime::MessageWriter> writer;
  try {
    composed = mime::compose(message, options);
    writer.emplace(message, options);
  } catch (const smtpx::InvalidInput& error) {
    require(!error.field().empty(), "a refusal names its field");
    return 0;
  }
  require(only_crlf_line_breaks(composed), "no bare CR or LF in the message");
  require(smtpx::longest_line(composed) <= mime::kMaxLineLength, "no line over 998 octets (RFC 5322 2.1.1)");
  require(writer->size_hint() == composed.size(), "size_hint() is the exact size (RFC 1870)");
  std::string streamed;
  while (writer->read(streamed, hint)) {
  }
  require(streamed == composed, "reading in pieces gives the same bytes");
  const bool eight_bit = !smtpx::text::is_ascii(composed);
  require(writer->has_8bit() == eight_bit, "has_8bit() says whether a byte is 8-bit");
  const Entity top = parse_entity(streamed);
  const std::string_view top_headers =
      std::string_view(streamed).substr(0, streamed.size() - top.body.size());
  require(options.server_smtputf8 || smtpx::text::is_ascii(top_headers),
          "8-bit headers only with SMTPUTF8 (RFC 6532)");
  require(options.server_8bitmime || smtpx::text::is_ascii(top.body),
          "an 8-bit body only with 8BITMIME (RFC 6152)");
  check_top_headers(top, message, options.message_id);
  check_parts(top, message);
  return 0;
}
