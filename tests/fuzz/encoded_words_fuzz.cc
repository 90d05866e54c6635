// RFC 2047 encoded words and display names (src/core/mime/encoders.*) on any
// header text. Properties: text that needs no encoding is left as it is; other
// text becomes words of at most 75 characters, separated by single spaces,
// each "=?charset?Q?...?=" or "=?charset?B?...?=" with only the characters RFC
// 2047 5(3) allows, which decode back to the text with no UTF-8 sequence cut;
// the first word fits the line after its header name; the folded header has no
// line over 998; a display name is atoms, a quoted string or encoded words,
// never holding a line break.
#include <string>
#include <vector>

#include "core/line_breaks.h"
#include "core/mime/encoders.h"
#include "core/text/utf8.h"
#include "mime_decoders.h"
#include "properties.h"

namespace smtpx::fuzz {
namespace {

// Names of the lengths a message may carry (writer.cc allows up to 40 characters).
constexpr std::string_view kCharsets[] = {"UTF-8", "utf8", "ISO-8859-1", "windows-1252",
                                          "X-A-Forty-Character-Charset-Name-1234567"};

void check_encode_words(std::string_view text, std::string_view charset, size_t indent) {
  const std::string encoded = mime::encode_words(text, charset, indent);
  if (!mime::needs_encoded_words(text)) {
    require(encoded == text, "text that needs no encoding stays as it is");
    return;
  }
  std::string decoded;
  const std::vector<std::string_view> words = split(encoded, " ");
  for (std::string_view word : words) {
    std::string bytes;
    require(decode_encoded_word(word, charset, bytes),
            "each word is an RFC 2047 encoded word in the charset");
    require(word.size() <= 75, "no encoded word over 75 characters (RFC 2047 2)");
    if (mime::is_utf8_charset(charset) && smtpx::text::is_valid_utf8(text))
      require(smtpx::text::is_valid_utf8(bytes), "no word cuts a UTF-8 sequence (RFC 2047 5)");
    decoded += bytes;
  }
  require(decoded == text, "the words decode back to the text");
  if (indent + charset.size() + 19 <= 76)
    require(indent + words.front().size() <= 76, "the first word fits the line after the header name");
  if (text.find_first_of("\r\n") == std::string_view::npos)
    require(longest_line(mime::fold_header("Subject", encoded)) <= 998, "no header line over 998");
}

void check_display_name(std::string_view name, std::string_view charset) {
  const std::string shown = mime::encode_display_name(name, charset);
  require(shown.find_first_of(std::string_view("\r\n\0", 3)) == std::string::npos,
          "a display name never holds CR, LF or NUL");
  if (mime::needs_encoded_words(name))
    require(shown == mime::encode_words(name, charset), "a name that needs encoding is encoded words");
  else
    require(shown == name || shown == mime::quoted_string(name), "other names are atoms or quoted");
}

}  // namespace
}  // namespace smtpx::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace smtpx::fuzz;
  if (size < 2) return 0;
  // The first byte is the column the value starts at, the second picks the charset.
  const size_t indent = data[0] % 100;
  const std::string_view charset = kCharsets[data[1] % std::size(kCharsets)];
  const std::string_view text(reinterpret_cast<const char*>(data) + 2, size - 2);
  check_encode_words(text, charset, indent);
  check_display_name(text, charset);
  return 0;
}
