#include "api/response_head.hpp"

#include <boost/beast/http/status.hpp>

#include <charconv>

namespace relance::api {
namespace {

void append_number(std::string& out, std::size_t n) {
  char digits[24];
  const auto end = std::to_chars(digits, digits + sizeof digits, n).ptr;
  out.append(digits, end);
}

void append_field(std::string& out, std::string_view name, std::string_view value) {
  out.append(name);
  out.append(": ");
  out.append(value);
  out.append("\r\n");
}

bool has_no_body(int status) { return status < 200 || status == 204 || status == 304; }

}  // namespace

void write_response_head(std::string& out, const Response& r, std::size_t body_size,
                         bool keep_alive, unsigned version) {
  out.clear();
  out.append(version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ");
  append_number(out, static_cast<std::size_t>(r.status));
  out.push_back(' ');
  const auto reason = boost::beast::http::obsolete_reason(static_cast<boost::beast::http::status>(r.status));
  out.append(reason.data(), reason.size());
  out.append("\r\n");
  append_field(out, "Server", "relance");
  if (!r.content_type.empty()) append_field(out, "Content-Type", r.content_type);
  for (const auto& [name, value] : r.headers) append_field(out, name, value);
  if (!has_no_body(r.status)) {
    out.append("Content-Length: ");
    append_number(out, body_size);
    out.append("\r\n");
  }
  // Each version's default needs no field: 1.1 keeps the connection, 1.0 closes it.
  if (version >= 11 && !keep_alive) append_field(out, "Connection", "close");
  if (version < 11 && keep_alive) append_field(out, "Connection", "keep-alive");
  out.append("\r\n");
}

}  // namespace relance::api
