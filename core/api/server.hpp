// HttpServer: HTTP/1.1 on Boost.Beast. One io_context with a small pool of threads; a
// session per connection reads a request with explicit limits (header and body size,
// timeouts), hands it to the Router, and writes the reply when it comes back (from the
// storage writer's thread for writes). Keep-alive is the default.
//
// stop() (or SIGTERM/SIGINT when handle_signals is set) drains: the listener closes, idle
// connections close, requests in flight complete and are answered with Connection: close,
// then run() returns.
//
// Thread safety: construct, then run() from one thread; stop() from any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "api/metrics.hpp"
#include "api/router.hpp"

namespace relance::api {

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;  // 0: any free port (see HttpServer::port())
  std::size_t threads = 2;
  std::size_t max_body_bytes = 1 << 20;
  // Routes that take files (imports, a contact's files): a path prefix and its own body
  // limit; "{id}" in a prefix stands for one segment of digits.
  std::vector<std::pair<std::string, std::size_t>> large_bodies;
  std::size_t max_header_bytes = 16 << 10;
  std::chrono::seconds idle_timeout{60};     // keep-alive connection with no request
  std::chrono::seconds request_timeout{30};  // to receive a whole request, and to send a reply
  std::chrono::seconds drain_timeout{20};    // most a shutdown waits for requests in flight
  // Past this, a new connection closes the one idle the longest (none idle: it is closed).
  std::size_t max_connections = 4096;
  // Connections one remote address may hold at once; past it, 503 and close. 0: no limit.
  // Behind a reverse proxy every client shares the proxy's address.
  std::size_t max_connections_per_client = 256;
  bool handle_signals = true;
};

class HttpServer {
 public:
  HttpServer(const ServerOptions& options, const Router& router, Metrics& metrics);
  ~HttpServer();

  std::uint16_t port() const;  // the bound port, once constructed
  void run();                  // serves until stopped and drained
  void stop();
  bool draining() const;
  // Called once when draining starts (before connections close).
  void on_drain(std::function<void()> f);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace relance::api
