// A small SMTP server on 127.0.0.1 for the delivery tests: it greets (or stays
// silent, or refuses with 554), answers EHLO, AUTH PLAIN, MAIL, RCPT, DATA,
// RSET and QUIT, and counts what it saw, so a test can tell how many
// connections a sequence of sends opened. One thread, one poll() loop.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <map>
#include <string>
#include <thread>
#include <vector>

namespace smtpx::testing {

class LoopbackSmtp {
 public:
  enum class Greeting { ok, silent, refuse };

  explicit LoopbackSmtp(Greeting greeting = Greeting::ok) : greeting_(greeting) {
    listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    const int on = 1;
    setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address);
    listen(listener_, 16);
    socklen_t length = sizeof address;
    getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    if (pipe(wake_) != 0) wake_[0] = wake_[1] = -1;
    thread_ = std::thread([this] { serve(); });
  }

  ~LoopbackSmtp() {
    stop_ = true;
    if (write(wake_[1], "x", 1) < 0) {
      // The loop also wakes every 50 ms.
    }
    thread_.join();
    for (auto& [fd, client] : clients_) ::close(fd);
    ::close(listener_);
    ::close(wake_[0]);
    ::close(wake_[1]);
  }

  uint16_t port() const { return port_; }
  int connections() const { return connections_; }
  int quits() const { return quits_; }
  int messages() const { return messages_; }
  // Hangs up on every client (a server's idle timeout).
  void drop_clients() { drop_ = true; }
  // Says "421 4.4.2 idle timeout" to every client, unasked, and keeps the connections open.
  void announce_idle_timeout() { announce_ = true; }
  // The next MAIL, or the next end of data, is answered by hanging up.
  void hang_up_at_next_mail() { hang_up_at_mail_ = true; }
  void hang_up_at_next_end_of_data() { hang_up_at_end_of_data_ = true; }

  // A port on 127.0.0.1 where nothing listens: connecting is refused.
  static uint16_t closed_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
    socklen_t length = sizeof address;
    getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
    ::close(fd);
    return ntohs(address.sin_port);
  }

 private:
  struct Client {
    std::string buffer;
    bool in_data = false;
  };

  static void say(int fd, const std::string& text) {
    if (!text.empty() && ::send(fd, text.data(), text.size(), MSG_NOSIGNAL) < 0) {
      // The client went away; its next poll reports it.
    }
  }

  // The reply to one line, or empty to say nothing; `close` when the session ends.
  std::string answer(Client& client, const std::string& line, bool& close) {
    if (client.in_data) {
      if (line != ".") return {};
      client.in_data = false;
      if (hang_up_at_end_of_data_.exchange(false)) {
        close = true;
        return {};
      }
      ++messages_;
      return "250 2.0.0 Ok: queued\r\n";
    }
    const std::string verb = line.substr(0, line.find(' '));
    if (verb == "MAIL" && hang_up_at_mail_.exchange(false)) {
      close = true;
      return {};
    }
    if (verb == "EHLO") return "250-loopback\r\n250-8BITMIME\r\n250 AUTH PLAIN\r\n";
    if (verb == "AUTH") return "235 2.7.0 Authentication successful\r\n";
    if (verb == "MAIL" || verb == "RCPT" || verb == "RSET" || verb == "NOOP") return "250 2.0.0 Ok\r\n";
    if (verb == "DATA") {
      client.in_data = true;
      return "354 End data with <CR><LF>.<CR><LF>\r\n";
    }
    if (verb == "QUIT") {
      ++quits_;
      close = true;
      return "221 2.0.0 Bye\r\n";
    }
    return "502 5.5.2 Error: command not recognized\r\n";
  }

  void serve() {
    while (!stop_) {
      if (drop_.exchange(false)) {
        for (auto& [fd, client] : clients_) ::close(fd);
        clients_.clear();
      }
      if (announce_.exchange(false))
        for (auto& [fd, client] : clients_) say(fd, "421 4.4.2 loopback idle timeout\r\n");
      std::vector<pollfd> entries{{listener_, POLLIN, 0}, {wake_[0], POLLIN, 0}};
      for (auto& [fd, client] : clients_) entries.push_back({fd, POLLIN, 0});
      if (::poll(entries.data(), entries.size(), 50) <= 0) continue;
      if (entries[0].revents & POLLIN) {
        const int fd = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
        if (fd >= 0) {
          ++connections_;
          clients_[fd] = Client{};
          if (greeting_ == Greeting::ok) say(fd, "220 loopback ESMTP\r\n");
          if (greeting_ == Greeting::refuse) say(fd, "554 5.7.1 no service here\r\n");
        }
      }
      for (size_t i = 2; i < entries.size(); ++i) {
        if (entries[i].revents == 0) continue;
        const int fd = entries[i].fd;
        char bytes[4096];
        const ssize_t got = ::recv(fd, bytes, sizeof bytes, 0);
        bool close = got <= 0;
        Client& client = clients_[fd];
        if (got > 0) client.buffer.append(bytes, static_cast<size_t>(got));
        for (size_t end; !close && (end = client.buffer.find("\r\n")) != std::string::npos;) {
          const std::string line = client.buffer.substr(0, end);
          client.buffer.erase(0, end + 2);
          say(fd, answer(client, line, close));
        }
        if (close) {
          ::close(fd);
          clients_.erase(fd);
        }
      }
    }
  }

  Greeting greeting_;
  int listener_ = -1;
  int wake_[2] = {-1, -1};
  uint16_t port_ = 0;
  std::map<int, Client> clients_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> drop_{false};
  std::atomic<bool> announce_{false};
  std::atomic<bool> hang_up_at_mail_{false};
  std::atomic<bool> hang_up_at_end_of_data_{false};
  std::atomic<int> connections_{0};
  std::atomic<int> quits_{0};
  std::atomic<int> messages_{0};
  std::thread thread_;
};

}  // namespace smtpx::testing
