// DKIM's "relaxed" canonicalization (RFC 6376 3.4.2 and 3.4.4), the form
// signers and verifiers hash, so that whitespace a relay rewrites does not
// break a signature. The body is taken as it streams, in constant memory.
#pragma once

#include <string>
#include <string_view>

namespace smtpx::dkim {

// "name:value\r\n": the name lower-cased, the value unfolded, runs of
// whitespace one space, none at its ends.
std::string relaxed_header(std::string_view name, std::string_view value);

// Feeds the body's bytes (CRLF line ends) and passes the canonical form to
// `out` in pieces: runs of whitespace one space, none at line ends, no empty
// lines at the end, and a final CRLF when the body is not empty.
class RelaxedBody {
 public:
  template <class Out>
  void feed(std::string_view bytes, Out&& out) {
    for (char c : bytes) step(c, out);
  }
  template <class Out>
  void finish(Out&& out) {
    if (line_has_text_) out(std::string_view("\r\n", 2));
    line_has_text_ = false;
    empty_lines_ = 0;
    in_space_ = false;
  }

 private:
  template <class Out>
  void step(char c, Out& out) {
    if (c == ' ' || c == '\t') {
      in_space_ = true;
      return;
    }
    if (c == '\r') return;  // lines end in CRLF; the LF ends them
    if (c == '\n') {
      in_space_ = false;  // whitespace at the end of a line goes
      if (line_has_text_)
        out(std::string_view("\r\n", 2));
      else
        ++empty_lines_;  // held back: empty lines at the end of the body go
      line_has_text_ = false;
      return;
    }
    for (; empty_lines_ > 0; --empty_lines_) out(std::string_view("\r\n", 2));
    if (in_space_) out(std::string_view(" ", 1));
    in_space_ = false;
    out(std::string_view(&c, 1));
    line_has_text_ = true;
  }

  bool in_space_ = false;
  bool line_has_text_ = false;
  size_t empty_lines_ = 0;
};

}  // namespace smtpx::dkim
