// What the fuzz targets assert with. A property that does not hold prints which
// one and aborts: libFuzzer keeps the input that broke it as a crash artifact,
// so a violated promise is reported exactly like a memory error.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace smtpx::fuzz {

inline void require(bool holds, std::string_view property) {
  if (holds) return;
  std::fprintf(stderr, "\nproperty violated: %.*s\n", static_cast<int>(property.size()), property.data());
  std::abort();
}

// Every CR is followed by LF and every LF preceded by CR: what the wire may carry.
inline bool only_crlf_line_breaks(std::string_view text) {
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r' && (i + 1 == text.size() || text[i + 1] != '\n')) return false;
    if (text[i] == '\n' && (i == 0 || text[i - 1] != '\r')) return false;
  }
  return true;
}

// `text` with every line break (CRLF, bare LF, bare CR) written as CRLF: what the
// encoders promise to make of a caller's text.
inline std::string crlf_normalised(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r') {
      out.append("\r\n");
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
    } else if (text[i] == '\n') {
      out.append("\r\n");
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

inline bool ends_with_crlf(std::string_view text) {
  return text.size() >= 2 && text.substr(text.size() - 2) == "\r\n";
}

// The lines of text whose line breaks are CRLF, without them.
inline std::vector<std::string_view> crlf_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    const size_t end = text.find("\r\n");
    lines.push_back(text.substr(0, end));
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 2);
  }
  return lines;
}

// The pieces of `text` between separators, empty ones included ("a..b" by "." is a, "", b).
inline std::vector<std::string_view> split(std::string_view text, std::string_view separator) {
  std::vector<std::string_view> pieces;
  while (true) {
    const size_t at = text.find(separator);
    pieces.push_back(text.substr(0, at));
    if (at == std::string_view::npos) return pieces;
    text.remove_prefix(at + separator.size());
  }
}

// `text` in pieces of `size` bytes (the last one shorter), as a stream hands it over.
inline std::vector<std::string_view> pieces_of(std::string_view text, size_t size) {
  std::vector<std::string_view> pieces;
  for (size_t at = 0; at < text.size(); at += size) pieces.push_back(text.substr(at, size));
  return pieces;
}

inline bool has_control_byte(std::string_view text) {
  for (unsigned char c : text)
    if (c < 0x20 || c == 0x7f) return true;
  return false;
}

}  // namespace smtpx::fuzz
