#include "http_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <optional>

#include "contract.hpp"

namespace relance::test {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

boost::json::value HttpResponse::json() const { return boost::json::parse(body); }

std::string HttpResponse::header(const std::string& lower_name) const {
  auto it = headers.find(lower_name);
  return it == headers.end() ? std::string() : it->second;
}

struct HttpClient::Impl {
  asio::io_context io;
  std::optional<beast::tcp_stream> stream;
  beast::flat_buffer buffer;

  void connect(std::uint16_t port) {
    stream.emplace(io);
    stream->connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
    buffer.clear();
  }
};

HttpClient::HttpClient(std::uint16_t port) : impl_(std::make_unique<Impl>()), port_(port) {}
HttpClient::~HttpClient() = default;
HttpClient::HttpClient(HttpClient&&) noexcept = default;
HttpClient& HttpClient::operator=(HttpClient&&) noexcept = default;

HttpResponse HttpClient::request(const std::string& method, const std::string& target,
                                 const std::string& body, const Headers& headers) {
  HttpResponse response = request_unchecked(method, target, body, headers);
  // The daemon's document, asked over this client's own connection: a test that counts the
  // daemon's connections sees no other.
  if (!contract::knows(port_)) {
    const HttpResponse document = request_unchecked("GET", "/api/v1/openapi.json");
    if (document.status == 200) contract::learn(port_, document.body);
  }
  contract::check(port_, method, target, response);
  return response;
}

HttpResponse HttpClient::request_unchecked(const std::string& method, const std::string& target,
                                           const std::string& body, const Headers& headers) {
  http::request<http::string_body> req(http::string_to_verb(method), target, 11);
  req.set(http::field::host, "127.0.0.1");
  if (!token_.empty()) req.set(http::field::authorization, "Bearer " + token_);
  bool has_type = false;
  for (const auto& [k, v] : headers) {
    req.set(k, v);
    if (beast::iequals(k, "content-type")) has_type = true;
  }
  if (!body.empty() && !has_type) req.set(http::field::content_type, "application/json");
  if (http::string_to_verb(method) == http::verb::unknown) req.method_string(method);
  req.body() = body;
  req.keep_alive(true);
  req.prepare_payload();
  // One retry on a fresh connection: the server may have closed an idle keep-alive one.
  for (int attempt = 0;; ++attempt) {
    try {
      if (!impl_->stream) impl_->connect(port_);
      impl_->stream->expires_after(std::chrono::seconds(60));
      http::write(*impl_->stream, req);
      http::response_parser<http::string_body> parser;
      parser.body_limit(1u << 30);
      http::read(*impl_->stream, impl_->buffer, parser);
      auto& res = parser.get();
      HttpResponse out;
      out.status = static_cast<int>(res.result_int());
      for (const auto& f : res) {
        std::string name(f.name_string());
        for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        out.headers[name] = std::string(f.value());
      }
      out.body = std::move(res.body());
      if (!res.keep_alive()) impl_->stream.reset();
      return out;
    } catch (const boost::system::system_error&) {
      impl_->stream.reset();
      if (attempt >= 1) throw;
    }
  }
}

HttpResponse HttpClient::post(const std::string& target, const boost::json::value& body,
                              const Headers& headers) {
  return request("POST", target, boost::json::serialize(body), headers);
}

HttpResponse HttpClient::patch(const std::string& target, const boost::json::value& body,
                               const Headers& headers) {
  return request("PATCH", target, boost::json::serialize(body), headers);
}

std::string HttpClient::raw(const std::string& bytes) {
  asio::io_context io;
  beast::tcp_stream s(io);
  s.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_));
  s.expires_after(std::chrono::seconds(30));
  asio::write(s, asio::buffer(bytes));
  std::string out;
  char chunk[4096];
  boost::system::error_code ec;
  for (;;) {
    const std::size_t n = s.read_some(asio::buffer(chunk), ec);
    out.append(chunk, n);
    if (ec) break;
    // One response is enough: stop once its body is complete.
    const auto end = out.find("\r\n\r\n");
    if (end != std::string::npos) {
      const auto cl = out.find("Content-Length: ");
      if (cl != std::string::npos && cl < end) {
        const std::size_t len = std::stoul(out.substr(cl + 16));
        if (out.size() >= end + 4 + len) break;
      }
    }
  }
  return out;
}

}  // namespace relance::test
