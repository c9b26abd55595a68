// HttpClient: a small synchronous HTTP/1.1 client for the integration tests, speaking to a
// daemon on 127.0.0.1 over one keep-alive connection (reconnecting when the server closed
// it). Built on Beast in its own translation unit.
#pragma once

#include <boost/json/value.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace relance::test {

struct HttpResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;

  boost::json::value json() const;  // parses body; throws on invalid JSON
  std::string header(const std::string& lower_name) const;
};

using Headers = std::vector<std::pair<std::string, std::string>>;

class HttpClient {
 public:
  explicit HttpClient(std::uint16_t port);
  ~HttpClient();
  HttpClient(HttpClient&&) noexcept;
  HttpClient& operator=(HttpClient&&) noexcept;

  void set_token(std::string token) { token_ = std::move(token); }
  const std::string& token() const { return token_; }

  // Sends a request; a non-empty body goes as application/json unless headers say
  // otherwise. Authorization: Bearer <token> is added when a token is set. The response is
  // checked against the daemon's OpenAPI document (contract.hpp): a drift fails the test.
  HttpResponse request(const std::string& method, const std::string& target,
                       const std::string& body = {}, const Headers& headers = {});
  // The same, unchecked: for the contract's own fetch of the document.
  HttpResponse request_unchecked(const std::string& method, const std::string& target,
                                 const std::string& body = {}, const Headers& headers = {});
  HttpResponse get(const std::string& target) { return request("GET", target); }
  HttpResponse post(const std::string& target, const boost::json::value& body,
                    const Headers& headers = {});
  HttpResponse patch(const std::string& target, const boost::json::value& body,
                     const Headers& headers = {});
  HttpResponse del(const std::string& target, const Headers& headers = {}) {
    return request("DELETE", target, {}, headers);
  }

  // Writes `bytes` as they are on a new connection and returns what the server answered
  // before closing (for malformed requests).
  std::string raw(const std::string& bytes);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::uint16_t port_;
  std::string token_;
};

}  // namespace relance::test
