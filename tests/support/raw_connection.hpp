// RawConnection: a TCP connection of the test's own to the daemon, for what HttpClient
// will not do: stop sending halfway through a request, send bytes no client library would,
// or ask for a response and never read it.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdint>
#include <string>
#include <utility>

namespace relance::test {

class RawConnection {
 public:
  // `receive_buffer`: the socket's receive buffer in bytes (0: the system's), set before
  // connecting, so that a client that does not read holds back little of what is sent.
  explicit RawConnection(std::uint16_t port, int receive_buffer = 0) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    REQUIRE(fd_ >= 0);
    if (receive_buffer > 0)
      REQUIRE(::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof receive_buffer) == 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::connect(fd_, reinterpret_cast<const sockaddr*>(&a), sizeof a) == 0);
  }
  ~RawConnection() { ::close(fd_); }
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  void send(const std::string& bytes) {
    REQUIRE(::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(bytes.size()));
  }
  // Reads until what was read holds `marker` (true), the server closes the connection or
  // `limit` passes (false); then reads no more.
  bool read_until(const std::string& marker, std::chrono::seconds limit) {
    std::string got;
    const auto until = std::chrono::steady_clock::now() + limit;
    while (got.find(marker) == std::string::npos && std::chrono::steady_clock::now() < until) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 100) <= 0) continue;
      char buf[256];
      const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) return false;
      got.append(buf, static_cast<std::size_t>(n));
    }
    return got.find(marker) != std::string::npos;
  }
  // Reads until the server closes the connection or `limit` passes; returns whether it
  // closed, and what it sent.
  std::pair<bool, std::string> wait_for_close(std::chrono::seconds limit) {
    std::string got;
    const auto until = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < until) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 100) <= 0) continue;
      char buf[4096];
      const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) return {true, got};
      got.append(buf, static_cast<std::size_t>(n));
    }
    return {false, got};
  }

 private:
  int fd_;
};

}  // namespace relance::test
