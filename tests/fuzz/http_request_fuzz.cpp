// Fuzz target: the bytes a client sends on a connection, read as a server session reads
// them (core/api/server.cpp, Session): Beast's request parser with the server's header and
// body limits (the largest body limit while the header is read, the route's own once the
// target is known, a Content-Length over it refused, the transfer codings checked against
// request smuggling before any body is read), then the request target through
// Boost.URL into the plain api::Request handlers see. Requests follow one another while
// the connection is kept alive, as pipelined requests do.
//
// server.cpp builds its parser inside the asynchronous session; its steps up to the whole
// message are followed here over a buffer, with the daemon's limits (ServerOptions and the
// import route's larger body limit, see app/daemon.cpp): keep those in step. The message
// becomes a Request through the server's own read_request. This is the only file of the
// fuzz targets that includes Beast.
#include <boost/beast/http.hpp>

#include <algorithm>
#include <cstdint>
#include <string_view>
#include <vector>

#include "api/http.hpp"
#include "api/request_message.hpp"
#include "api/server.hpp"
#include "api/transfer_coding.hpp"

namespace {
namespace beast = boost::beast;
namespace http = beast::http;
using Parser = http::request_parser<http::string_body>;

const relance::api::ServerOptions& options() {
  static const relance::api::ServerOptions o = [] {
    relance::api::ServerOptions s;
    s.large_bodies.emplace_back("/api/v1/imports", std::size_t{100} << 20);
    return s;
  }();
  return o;
}

// Feeds `input` to the parser until `done` says so or the input ends (the client stops
// sending: the parser is told of the end of the stream). Returns the bytes used.
template <class Done>
std::size_t feed(Parser& parser, std::string_view input, beast::error_code& ec, Done done) {
  std::size_t used = 0;
  while (!done()) {
    if (used == input.size()) {
      parser.put_eof(ec);
      return used;
    }
    const std::size_t n =
        parser.put(boost::asio::const_buffer(input.data() + used, input.size() - used), ec);
    used += n;
    if (ec == http::error::need_more) {
      ec = {};
      if (n == 0) {  // the rest is not enough for the parser to go on: the stream ends here
        parser.put_eof(ec);
        return input.size();
      }
    } else if (ec) {
      return used;
    }
  }
  return used;
}

// One request, as Session::read_header, on_header, read_body and handle read it. Returns the
// bytes it used and whether the connection goes on to the next request.
std::pair<std::size_t, bool> one_request(std::string_view input) {
  const auto& o = options();
  Parser parser;
  parser.header_limit(static_cast<std::uint32_t>(o.max_header_bytes));
  std::size_t largest = o.max_body_bytes;
  for (const auto& [prefix, limit] : o.large_bodies) largest = std::max(largest, limit);
  parser.body_limit(largest);
  beast::error_code ec;
  std::size_t used = feed(parser, input, ec, [&] { return parser.is_header_done(); });
  if (ec) return {used, false};  // a 400, 413 or 431, then the connection closes

  const auto& head = parser.get();
  std::vector<std::string_view> codings;
  for (auto [it, end] = head.equal_range(http::field::transfer_encoding); it != end; ++it)
    codings.push_back(it->value());
  if (relance::api::transfer_coding_problem(codings, head.count(http::field::content_length) > 0,
                                            head.version()))
    return {used, false};  // 400 or 501, then the connection closes
  std::size_t body_limit = o.max_body_bytes;
  for (const auto& [prefix, limit] : o.large_bodies)
    if (head.target().starts_with(prefix)) body_limit = limit;
  parser.body_limit(body_limit);
  if (const auto length = parser.content_length(); length && *length > body_limit)
    return {used, false};  // 413
  parser.eager(true);
  used += feed(parser, input.substr(used), ec, [&] { return parser.is_done(); });
  if (ec) return {used, false};

  auto& msg = parser.get();
  const bool keep_alive = msg.keep_alive();
  relance::api::Request request;
  if (!relance::api::read_request(msg, request)) return {used, false};  // 400, connection closed
  if (request.body.size() > body_limit) std::abort();  // the limit let a larger body through
  return {used, keep_alive};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  while (!input.empty()) {
    const auto [used, keep_alive] = one_request(input);
    if (!keep_alive || used == 0) break;
    input.remove_prefix(std::min(used, input.size()));
  }
  return 0;
}
