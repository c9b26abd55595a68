// The daemon's HTTP client for plugins (core/plugin_host/http_client.hpp) against a loopback
// listener that counts its connections: a host name is resolved by the client, every answer
// put to the policy, and only allowed addresses are ever connected to, on the first hop and
// on each redirect followed.
#include <catch2/catch.hpp>

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "plugin_host/http_client.hpp"

using relance::plugin_host::HttpClient;
using relance::plugin_host::HttpRequest;
using relance::plugin_host::HttpResponse;

namespace {

// Answers every request on 127.0.0.1 with `answer`, counting connections; stops itself
// when destroyed.
class Listener {
 public:
  explicit Listener(std::string answer) : answer_(std::move(answer)) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    REQUIRE(listen(fd_, 16) == 0);
    socklen_t size = sizeof a;
    getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &size);
    port_ = ntohs(a.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~Listener() {
    stop_ = true;
    thread_.join();
    close(fd_);
  }
  std::uint16_t port() const { return port_; }
  int hits() const { return hits_.load(); }

 private:
  void serve() {
    while (!stop_) {
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, 20) <= 0) continue;
      const int c = accept(fd_, nullptr, nullptr);
      if (c < 0) continue;
      ++hits_;
      char buf[4096];
      std::string got;
      for (int i = 0; i < 100 && got.find("\r\n\r\n") == std::string::npos; ++i) {
        pollfd q{c, POLLIN, 0};
        if (poll(&q, 1, 20) <= 0) continue;
        const ssize_t n = read(c, buf, sizeof buf);
        if (n <= 0) break;
        got.append(buf, static_cast<std::size_t>(n));
      }
      const ssize_t written = send(c, answer_.data(), answer_.size(), MSG_NOSIGNAL);  // a client may stop reading
      (void)written;
      close(c);
    }
  }
  std::string answer_;
  int fd_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<int> hits_{0};
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

const std::string ok = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello";

}  // namespace

TEST_CASE("the plugins' HTTP client connects to a host name's allowed addresses only, and never to a refused one") {
  Listener server(ok);
  std::vector<std::string> asked;
  bool allow = true;
  HttpClient client([&](std::string_view address, std::uint16_t port) {
    asked.emplace_back(address);
    return allow && address == "127.0.0.1" && port == server.port();
  });
  HttpRequest r;
  r.url = "http://localhost:" + std::to_string(server.port()) + "/x";
  r.timeout = std::chrono::milliseconds(2000);

  HttpResponse a = client.send(r);
  INFO(a.error);
  CHECK(a.outcome == HttpResponse::Outcome::answered);
  CHECK(a.status == 200);
  CHECK(a.body == "hello");
  CHECK(std::find(asked.begin(), asked.end(), "127.0.0.1") != asked.end());  // resolved, then asked
  CHECK(server.hits() == 1);

  allow = false;
  a = client.send(r);
  CHECK(a.outcome == HttpResponse::Outcome::refused);
  CHECK(a.error.find("refused by the daemon's outbound policy") != std::string::npos);
  CHECK(server.hits() == 1);  // not even a connection
}

TEST_CASE("the plugins' HTTP client follows a redirect only when asked, and checks the redirect's address too") {
  Listener target(ok);
  Listener redirect("HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:" + std::to_string(target.port()) +
                    "/there\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
  bool target_allowed = false;
  HttpClient client([&](std::string_view, std::uint16_t port) {
    return port == redirect.port() || (target_allowed && port == target.port());
  });
  HttpRequest r;
  r.method = "POST";
  r.body = "{}";
  r.url = "http://127.0.0.1:" + std::to_string(redirect.port()) + "/";

  HttpResponse a = client.send(r);
  CHECK(a.outcome == HttpResponse::Outcome::answered);
  CHECK(a.status == 302);  // not followed unless asked

  r.follow_redirects = true;
  a = client.send(r);
  CHECK(a.outcome == HttpResponse::Outcome::refused);
  CHECK(target.hits() == 0);

  target_allowed = true;
  a = client.send(r);
  INFO(a.error);
  CHECK(a.outcome == HttpResponse::Outcome::answered);
  CHECK(a.status == 200);
  CHECK(a.redirects == 1);
  CHECK(target.hits() == 1);
}

TEST_CASE("the plugins' HTTP client cuts a long answer at its cap and refuses what it cannot send") {
  Listener server("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\nConnection: close\r\n\r\n" + std::string(100000, 'x'));
  HttpClient client([](std::string_view, std::uint16_t) { return true; });
  HttpRequest r;
  r.url = "http://127.0.0.1:" + std::to_string(server.port()) + "/";
  r.max_response_bytes = 1000;
  HttpResponse a = client.send(r);
  CHECK(a.outcome == HttpResponse::Outcome::answered);
  CHECK(a.truncated);
  CHECK(a.body.size() == 1000);

  for (const char* url : {"ftp://127.0.0.1/", "file:///etc/passwd", "not a url", "gopher://127.0.0.1:70/"}) {
    r.url = url;
    CHECK(client.send(r).outcome == HttpResponse::Outcome::refused);
  }
  r.url = "http://127.0.0.1:" + std::to_string(server.port()) + "/";
  r.headers = {{"X-Injected", "a\r\nHost: elsewhere"}};
  CHECK(client.send(r).outcome == HttpResponse::Outcome::refused);
}
