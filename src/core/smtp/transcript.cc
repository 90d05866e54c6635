#include "transcript.h"

namespace smtpx::smtp {

namespace {

// Appends each line of `bytes` behind `prefix`, dropping the CRLF.
void append_lines(std::string& text, std::string_view prefix, std::string_view bytes) {
  while (!bytes.empty()) {
    size_t end = bytes.find('\n');
    std::string_view line = bytes.substr(0, end);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    text.append(prefix).append(line).push_back('\n');
    if (end == std::string_view::npos) break;
    bytes.remove_prefix(end + 1);
  }
}

}  // namespace

void Transcript::client(std::string_view bytes) {
  if (enabled_) append_lines(text_, "C: ", bytes);
}

void Transcript::client_body(size_t bytes) {
  if (enabled_) text_.append("C: <message content, ").append(std::to_string(bytes)).append(" bytes>\n");
}

void Transcript::server(std::string_view reply_text) {
  if (enabled_) append_lines(text_, "S: ", reply_text);
}

void Transcript::note(std::string_view text) {
  if (enabled_) append_lines(text_, "-- ", text);
}

}  // namespace smtpx::smtp
