// Reading SMTP replies (RFC 5321 4.2). Bytes arrive in whatever pieces the
// socket hands out; a reply is complete at the line whose code is followed by a
// space (or by nothing). Several replies may sit in one read (RFC 2920
// pipelining), and each comes out on its own. Anything that is not a reply line
// is a protocol error: the peer is not an SMTP server, or not a sane one.
#include "reply.h"

#include <cctype>

namespace smtpx {

namespace {

// No server sends a reply this long; a peer that does is not speaking SMTP.
constexpr size_t kMaxReplyBytes = 64 * 1024;
constexpr size_t kMaxQuotedBytes = 200;

// The line as it can be shown in a message: control bytes escaped, cut after
// kMaxQuotedBytes bytes.
std::string quoted(std::string_view line) {
  std::string out = "\"" + printable(line.substr(0, kMaxQuotedBytes));
  if (line.size() > kMaxQuotedBytes) out.append("...");
  out.push_back('"');
  return out;
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// RFC 5321 4.2: Reply-code = %x32-35 %x30-35 %x30-39, then SP or "-" (or, from
// servers that send no text at all, the end of the line).
bool is_reply_line(std::string_view line) {
  if (line.size() < 3) return false;
  if (line[0] < '2' || line[0] > '5' || line[1] < '0' || line[1] > '5' || !is_digit(line[2])) return false;
  return line.size() == 3 || line[3] == ' ' || line[3] == '-';
}

// 1 to 3 digits at `pos`; returns the position after them, or npos.
size_t skip_digits(std::string_view text, size_t pos) {
  size_t end = pos;
  while (end < text.size() && end - pos < 3 && is_digit(text[end])) ++end;
  return end == pos ? std::string_view::npos : end;
}

}  // namespace

std::string Reply::text() const {
  std::string joined;
  for (const std::string& line : lines) {
    if (line.empty()) continue;  // an empty line says nothing to a reader
    if (!joined.empty()) joined.append(" / ");
    // What a server says reaches messages, logs and transcripts, often before
    // TLS: a bare CR, NUL or ESC in it must not forge lines or terminal codes there.
    joined.append(printable(line));
  }
  std::string out = std::to_string(code);
  if (!joined.empty()) out.append(" ").append(joined);
  return out;
}

std::string parse_enhanced_status(std::string_view text) {
  // RFC 3463 2: status-code = class "." subject "." detail, class 2, 4 or 5.
  if (text.size() < 5 || (text[0] != '2' && text[0] != '4' && text[0] != '5') || text[1] != '.') return {};
  size_t pos = skip_digits(text, 2);
  if (pos == std::string_view::npos || pos >= text.size() || text[pos] != '.') return {};
  pos = skip_digits(text, pos + 1);
  if (pos == std::string_view::npos) return {};
  if (pos < text.size() && text[pos] != ' ') return {};
  return std::string(text.substr(0, pos));
}

void ReplyReader::feed(std::string_view bytes) {
  buffer_.append(bytes.data(), bytes.size());
}

std::optional<Reply> ReplyReader::next(Phase phase) {
  size_t start = 0;
  for (;;) {
    const size_t end = buffer_.find('\n', start);
    const size_t line_bytes = (end == std::string::npos ? buffer_.size() : end + 1) - start;
    if (partial_bytes_ + line_bytes > kMaxReplyBytes) {
      fail("the server's reply during " + std::string(phase_name(phase)) + " is longer than " +
           std::to_string(kMaxReplyBytes) +
           " bytes; no SMTP server sends that much: check that the host and port are those of an "
           "SMTP server");
    }
    if (end == std::string::npos) {
      buffer_.erase(0, start);
      return std::nullopt;
    }
    std::string_view line(buffer_.data() + start, end - start);
    partial_bytes_ += line_bytes;
    start = end + 1;
    // RFC 5321 4.2 ends lines with CRLF; a bare LF from a broken server is read the same.
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);

    if (!is_reply_line(line)) {
      fail("the server sent a line that is not an SMTP reply during " + std::string(phase_name(phase)) +
           ": " + quoted(line) + "; check that the host and port are those of an SMTP server");
    }
    const int code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
    if (in_reply_ && code != partial_.code) {
      fail("the server changed the reply code from " + std::to_string(partial_.code) + " to " +
           std::to_string(code) + " within one multi-line reply during " + phase_name(phase) + ": " +
           quoted(line));
    }
    const std::string_view text = line.size() > 4 ? line.substr(4) : std::string_view();
    if (!in_reply_) {
      partial_ = Reply{};
      partial_.code = code;
      partial_.enhanced_status = parse_enhanced_status(text);
      in_reply_ = true;
    }
    partial_.lines.emplace_back(text);
    if (line.size() == 3 || line[3] == ' ') {
      buffer_.erase(0, start);
      in_reply_ = false;
      partial_bytes_ = 0;
      return std::move(partial_);
    }
  }
}

void ReplyReader::fail(const std::string& message) {
  // Nothing after a protocol error can be trusted: the reader starts empty.
  buffer_.clear();
  partial_ = Reply{};
  in_reply_ = false;
  partial_bytes_ = 0;
  throw MalformedReply(message);
}

}  // namespace smtpx
