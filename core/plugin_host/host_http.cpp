#include "plugin_host/host_http.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "plugin_host/host_services.hpp"
#include "plugin_host/http_client.hpp"
#include "plugin_host/secret_settings.hpp"

namespace relance::plugin_host {

// One instance's client and the answer it borrowed last.
struct HttpSession {
  explicit HttpSession(const HostContext& c)
      : client([&c](std::string_view address, std::uint16_t port) { return outbound_allowed(c, address, port); }) {}
  HttpClient client;
  HttpResponse last;
  std::vector<relance_http_header> headers;
};

namespace {

constexpr std::uint32_t default_timeout_ms = 5000;
constexpr std::uint32_t max_timeout_ms = 60000;
constexpr std::size_t default_body = 1 << 20;
constexpr std::size_t max_body = 16 << 20;

std::string text(relance_str s) { return s.data ? std::string(s.data, s.size) : std::string(); }
relance_str view(const std::string& s) { return relance_str{s.data(), s.size()}; }

relance_status request(const relance_host* h, const relance_http_request* req, relance_http_response* res) {
  if (!h || !res || res->struct_size < sizeof(std::uint32_t)) return RELANCE_INVALID;
  HostContext& c = *static_cast<HostContext*>(h->host_data);
  if (!c.instance) return RELANCE_INVALID;
  InstanceContext& i = *c.instance;
  if (!i.http) i.http = std::make_shared<HttpSession>(c);
  HttpSession& s = *i.http;

  HttpRequest r;
  if (!readable_http_request(req)) {
    s.last = HttpResponse{HttpResponse::Outcome::refused, 0, 0, false, {}, {}, "the request is not a relance_http_request"};
  } else {
    r.method = text(req->method);
    r.url = text(req->url);
    r.body = text(req->body);
    for (std::size_t k = 0; k < req->header_count; ++k) {
      const relance_http_header& hd = http_header(*req, k);
      r.headers.push_back(HttpHeader{text(hd.name), text(hd.value)});
    }
    r.timeout = std::chrono::milliseconds(
        req->timeout_ms == 0 ? default_timeout_ms : std::min(req->timeout_ms, max_timeout_ms));
    r.follow_redirects = (req->flags & RELANCE_HTTP_FOLLOW_REDIRECTS) != 0;
    if (req->max_redirects) r.max_redirects = std::min(req->max_redirects, 20u);
    r.max_response_bytes = req->max_response_bytes == 0 ? default_body : std::min(req->max_response_bytes, max_body);
    s.last = s.client.send(r);
  }

  const HttpResponse& a = s.last;
  // The error reaches the plugin, then its last_error: without the instance's secrets (a
  // URL's password quoted by libcurl).
  if (!a.error.empty()) s.last.error = redact(a.error, i.secrets);
  s.headers.clear();
  for (const HttpHeader& hd : a.headers) s.headers.push_back(relance_http_header{view(hd.name), view(hd.value)});

  relance_http_response out{};
  out.struct_size = sizeof(relance_http_response);
  out.flags = a.truncated ? RELANCE_HTTP_TRUNCATED : 0u;
  out.status = a.status;
  out.redirects = a.redirects;
  out.header_count = s.headers.size();
  out.header_size = sizeof(relance_http_header);
  out.headers = s.headers.data();
  out.body = view(a.body);
  if (!a.body.data()) out.body.data = "";
  out.error = a.error.empty() ? relance_str{nullptr, 0} : view(a.error);
  give_http_response(out, *res);

  switch (a.outcome) {
    case HttpResponse::Outcome::answered:
      return RELANCE_OK;
    case HttpResponse::Outcome::refused:
      spdlog::warn("plugin {} [{}#{}]: HTTP request refused: {}", c.plugin_id, i.name, i.id, a.error);
      return RELANCE_INVALID;
    case HttpResponse::Outcome::no_answer:
      break;
  }
  spdlog::debug("plugin {} [{}#{}]: HTTP request without an answer: {}", c.plugin_id, i.name, i.id, a.error);
  return RELANCE_RETRY;
}

const relance_host_http_v1 table{sizeof(relance_host_http_v1), &request};

}  // namespace

bool readable_http_request(const relance_http_request* req) {
  return req && RELANCE_HAS_FIELD(req, relance_http_request, max_response_bytes) &&
         !(req->header_count && (!req->headers || req->header_size < sizeof(relance_http_header)));
}

const relance_http_header& http_header(const relance_http_request& req, std::size_t k) {
  return *reinterpret_cast<const relance_http_header*>(reinterpret_cast<const char*>(req.headers) + k * req.header_size);
}

void give_http_response(const relance_http_response& full, relance_http_response& res) {
  relance_http_response out = full;
  out.struct_size = static_cast<std::uint32_t>(std::min<std::size_t>(res.struct_size, sizeof(relance_http_response)));
  std::memcpy(&res, &out, out.struct_size);  // the fields the plugin's record has room for
}

const relance_host_http_v1& http_v1() { return table; }

}  // namespace relance::plugin_host
