// A one-connection SMTP server on 127.0.0.1 for the transaction tests, with the
// behaviours real servers have shown: CHUNKING and PIPELINING or neither, a
// refused BDAT chunk followed by "503 Previous data chunk failed" for the rest
// (RFC 3030 4.2), a DATA answered with something other than 354, a hang-up
// after the content without a reply or halfway through it, refused recipients,
// replies written a few bytes at a time (as servers that leave Nagle on
// deliver them: several segments per reply). It records every command and counts the
// content bytes, so a test can assert what reached the wire. Every wait is
// bounded (net_test_peer.h), so a broken client fails a test instead of hanging.
#pragma once

#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "net_test_peer.h"

namespace smtpx::testing {

struct ScriptedSmtpOptions {
  std::string ehlo_keywords = "PIPELINING\r\n250-CHUNKING\r\n250 8BITMIME";  // after "250-scripted\r\n250-"
  int refuse_chunk = 0;  // the BDAT chunk (1-based) answered 552; later ones 503
  std::string data_reply = "354 go ahead";
  bool hang_up_after_content = false;  // close without a reply once the last content byte arrived
  bool envelope_replies = true;        // false: MAIL and RCPT get no reply (a server that answers late)
  bool cut_final_reply = false;    // once the content arrived, the first line of a two-line reply, then close
  std::string refusal_then_close;  // once the content arrived, this reply (a 554, a 421), then close
  bool replies_in_pieces = false;  // every reply written 5 bytes at a time, a millisecond apart
  std::string refused_rcpt;        // RCPT TO this address gets 550 5.1.1
};

class ScriptedSmtp {
 public:
  explicit ScriptedSmtp(ScriptedSmtpOptions options)
      : options_(std::move(options)), peer_([this](int fd) { serve(fd); }) {}

  uint16_t port() const { return peer_.port(); }
  std::vector<std::string> commands() const {
    const std::lock_guard<std::mutex> lock(mutex_);
    return commands_;
  }
  size_t content_bytes() const { return content_bytes_; }
  int messages() const { return messages_; }
  // Whether a command starting with `verb` arrived.
  bool received(const std::string& verb) const {
    for (const std::string& command : commands())
      if (command.compare(0, verb.size(), verb) == 0) return true;
    return false;
  }

 private:
  // Reads up to CRLF; false when the client went away first.
  bool read_line(int fd, std::string& line) {
    line.clear();
    while (true) {
      if (const size_t end = buffer_.find("\r\n"); end != std::string::npos) {
        line = buffer_.substr(0, end);
        buffer_.erase(0, end + 2);
        return true;
      }
      if (!fill(fd)) return false;
    }
  }

  bool fill(int fd) {
    char bytes[65536];
    const ssize_t got = ::recv(fd, bytes, sizeof bytes, 0);
    if (got <= 0) return false;
    buffer_.append(bytes, static_cast<size_t>(got));
    return true;
  }

  // Takes `size` bytes of content off the stream.
  bool read_content(int fd, size_t size) {
    while (buffer_.size() < size)
      if (!fill(fd)) return false;
    buffer_.erase(0, size);
    content_bytes_ += size;
    return true;
  }

  void say(int fd, const std::string& text) const {
    if (!options_.replies_in_pieces) {
      ::send(fd, text.data(), text.size(), MSG_NOSIGNAL);
      return;
    }
    for (size_t at = 0; at < text.size(); at += 5) {
      ::send(fd, text.data() + at, std::min<size_t>(5, text.size() - at), MSG_NOSIGNAL);
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }

  // The end of the content: the final reply, cut short, withheld or a refusal as the options
  // say. False when the server hangs up after it.
  bool end_of_content(int fd) {
    if (options_.cut_final_reply) {
      say(fd, "250-2.0.0 Ok\r\n");
      return false;
    }
    if (!options_.refusal_then_close.empty()) {
      say(fd, options_.refusal_then_close + "\r\n");
      return false;
    }
    ++messages_;
    say(fd, "250 2.0.0 Ok: queued as SCRIPTED\r\n");
    return true;
  }

  void record(const std::string& line) {
    const std::lock_guard<std::mutex> lock(mutex_);
    commands_.push_back(line);
  }

  void serve(int fd) {
    say(fd, "220 scripted ESMTP\r\n");
    int chunk = 0;
    bool chunk_failed = false;
    std::string line;
    while (read_line(fd, line)) {
      record(line);
      const std::string verb = line.substr(0, line.find(' '));
      if (verb == "EHLO") {
        say(fd, "250-scripted\r\n250-" + options_.ehlo_keywords + "\r\n");
      } else if (verb == "MAIL" || verb == "RCPT") {
        chunk = 0;
        chunk_failed = false;
        const bool refused =
            !options_.refused_rcpt.empty() && line == "RCPT TO:<" + options_.refused_rcpt + ">";
        if (options_.envelope_replies) say(fd, refused ? "550 5.1.1 No such user\r\n" : "250 2.1.0 Ok\r\n");
      } else if (verb == "RSET") {
        say(fd, "250 2.0.0 Ok\r\n");
      } else if (verb == "BDAT") {
        const size_t size = std::stoul(line.substr(5));
        const bool last = line.find(" LAST") != std::string::npos;
        if (!read_content(fd, size)) return;
        ++chunk;
        if (last && options_.hang_up_after_content) return;
        if (chunk == options_.refuse_chunk) {
          chunk_failed = true;
          say(fd, "552 5.3.4 Chunk too big for this server\r\n");
        } else if (chunk_failed) {
          say(fd, "503 5.5.0 Previous data chunk failed\r\n");
        } else if (last) {
          if (!end_of_content(fd)) return;
        } else {
          say(fd, "250 2.0.0 " + std::to_string(size) + " octets received\r\n");
        }
      } else if (verb == "DATA") {
        say(fd, options_.data_reply + "\r\n");
        if (options_.data_reply.compare(0, 3, "354") != 0) continue;
        while (read_line(fd, line) && line != ".") content_bytes_ += line.size() + 2;
        if (options_.hang_up_after_content) return;
        if (!end_of_content(fd)) return;
      } else if (verb == "QUIT") {
        say(fd, "221 2.0.0 Bye\r\n");
        return;
      } else {
        say(fd, "502 5.5.2 Error: command not recognized\r\n");
      }
    }
  }

  ScriptedSmtpOptions options_;
  std::string buffer_;
  mutable std::mutex mutex_;
  std::vector<std::string> commands_;
  std::atomic<size_t> content_bytes_{0};
  std::atomic<int> messages_{0};
  net::test::Peer peer_;  // last: its thread starts once everything above exists
};

}  // namespace smtpx::testing
