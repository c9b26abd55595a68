// HttpClient: the HTTP(S) requests the daemon sends for a plugin (relance.host.http/1), with
// libcurl, under the outbound policy. Free of the SDK's headers and of Asio: the service's
// table (host_http.cpp) only converts to and from these types, so the same client can serve
// a plugin run in another process.
//
// Refused addresses are never reached: the client resolves the host itself, asks `allowed`
// about every address, and pins libcurl to the allowed ones (CURLOPT_RESOLVE), so libcurl
// cannot resolve the name again to something else; each socket libcurl opens is checked
// once more. A host name is resolved and judged again at every request; a numeric host
// allowed once is not asked about again (`allowed` must not change its mind: the outbound
// policy is fixed while the daemon runs). Redirects are followed only when asked, each hop resolved and checked the same
// way. No proxy from the environment, only http and https, TLS peers and names verified.
//
// Thread safety: one client per instance, used by one thread at a time. The connection to a
// host stays open between requests (keep-alive).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace relance::plugin_host {

struct HttpHeader {
  std::string name, value;
};

struct HttpRequest {
  std::string method = "GET";
  std::string url;
  std::vector<HttpHeader> headers;
  std::string body;
  std::chrono::milliseconds timeout{5000};  // the whole exchange, redirects included
  bool follow_redirects = false;
  unsigned max_redirects = 5;
  std::size_t max_response_bytes = 1 << 20;
};

struct HttpResponse {
  enum class Outcome {
    answered,   // an HTTP answer came (any status)
    no_answer,  // resolution, connection, timeout, TLS, a broken or non-HTTP answer
    refused,    // the request cannot be sent: bad URL or header, every address refused, too many redirects
  };
  Outcome outcome = Outcome::no_answer;
  int status = 0;
  unsigned redirects = 0;
  bool truncated = false;  // the body was cut at max_response_bytes
  std::vector<HttpHeader> headers;
  std::string body;
  std::string error;  // why, when not answered
};

// May the client connect to `address` (numeric) on `port`? The caller logs its refusals.
using AddressCheck = std::function<bool(std::string_view address, std::uint16_t port)>;

class HttpClient {
 public:
  explicit HttpClient(AddressCheck allowed);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Sends `request`; never throws for what the network or the peer does.
  HttpResponse send(const HttpRequest& request);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace relance::plugin_host
