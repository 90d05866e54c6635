// The reply reader (src/core/reply.*) on whatever a server may send. Properties:
// how the bytes are split across reads changes nothing (a pipelined burst in one
// read and a reply a byte at a time give the same replies and the same error);
// every reply has a valid code, at least one line, an enhanced status only where
// its first line starts with one, and a text() free of control bytes; replies
// written back in wire form read back the same; after an error the reader is
// empty and the error (MalformedReply) names the phase; no reply is longer
// than 64 KiB.
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/reply.h"
#include "properties.h"

namespace smtpx::fuzz {
namespace {

struct Outcome {
  std::vector<Reply> replies;
  std::optional<std::string> error;
};

bool same(const Reply& a, const Reply& b) {
  return a.code == b.code && a.enhanced_status == b.enhanced_status && a.lines == b.lines;
}

bool same(const Outcome& a, const Outcome& b) {
  if (a.error != b.error || a.replies.size() != b.replies.size()) return false;
  for (size_t i = 0; i < a.replies.size(); ++i)
    if (!same(a.replies[i], b.replies[i])) return false;
  return true;
}

// Feeds `pieces` one after the other, taking every reply that is complete after each.
Outcome read_all(const std::vector<std::string_view>& pieces) {
  Outcome outcome;
  ReplyReader reader;
  try {
    for (std::string_view piece : pieces) {
      reader.feed(piece);
      while (std::optional<Reply> reply = reader.next(Phase::mail)) outcome.replies.push_back(*reply);
    }
  } catch (const MalformedReply& error) {
    require(std::string(error.what()).find(phase_name(Phase::mail)) != std::string::npos,
            "the error names the phase it was given");
    require(!reader.has_buffered_bytes(), "nothing is kept after a protocol error");
    require(!has_control_byte(error.what()), "an error message carries no control byte of the server's");
    outcome.error = error.what();
  }
  return outcome;
}

std::string wire_form(const Reply& reply) {
  std::string out;
  for (size_t i = 0; i < reply.lines.size(); ++i) {
    out += std::to_string(reply.code) + (i + 1 == reply.lines.size() ? " " : "-") + reply.lines[i] + "\r\n";
  }
  return out;
}

void check_reply(const Reply& reply) {
  require(reply.code >= 200 && reply.code <= 559, "a reply code is 2xx to 5xx (RFC 5321 4.2)");
  require(!reply.lines.empty(), "a reply has at least one line");
  require(!has_control_byte(reply.text()), "text() shows no control byte");
  const std::string first_status = parse_enhanced_status(reply.lines.front());
  const bool agrees = !first_status.empty() && first_status.front() == std::to_string(reply.code).front();
  require(reply.enhanced_status == (agrees ? first_status : ""),
          "the enhanced status is the one the first line starts with, if of the code's class (RFC 2034 4)");
  size_t bytes = 0;
  for (const std::string& line : reply.lines) {
    require(line.find('\n') == std::string::npos, "a line holds no LF");
    bytes += line.size() + 4;
  }
  require(bytes <= 64 * 1024, "no reply over 64 KiB");
  Outcome again = read_all({wire_form(reply)});
  require(!again.error && again.replies.size() == 1 && same(again.replies.front(), reply),
          "a reply written back in wire form reads back the same");
}

}  // namespace
}  // namespace smtpx::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace smtpx::fuzz;
  if (size == 0) return 0;
  // The first byte says how many bytes each read hands over; the rest is what the server sent.
  const size_t piece_size = data[0] % 64 + 1;
  const std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  const Outcome whole = read_all({bytes});
  require(same(read_all(pieces_of(bytes, piece_size)), whole), "how reads split the bytes changes nothing");
  if (bytes.size() <= 4096)
    require(same(read_all(pieces_of(bytes, 1)), whole), "a byte per read changes nothing");
  for (const smtpx::Reply& reply : whole.replies) check_reply(reply);
  return 0;
}
