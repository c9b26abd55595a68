// One JSON POST through the daemon's HTTP client (relance.host.http/1, SDK 1.5): the plugin
// opens no socket, the daemon applies its outbound policy and keeps connections open. Shared
// by the connectors that post to a partner (webhook, chat).
#pragma once

#include <relance/plugin.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace plugins_shared {

struct PostAnswer {
  relance_status status;  // RELANCE_OK: the partner answered (see http_status); else no answer
  int http_status = 0;
  std::string why;  // when not a 2xx: for last_error and the dead letters, never a secret
};

struct JsonPost {
  std::string_view url;
  std::string_view user_agent;
  std::vector<relance_http_header> headers;  // besides Content-Type and User-Agent
  std::string_view body;
  std::uint32_t timeout_ms = 5000;
  bool follow_redirects = false;
};

// The daemon's HTTP service; throws relance::Error(RELANCE_FATAL) when it offers none.
inline const relance_host_http_v1& http_service(const relance::Host& host) {
  const auto* http = host.service<relance_host_http_v1>(RELANCE_HOST_HTTP_V1);
  if (!http) throw relance::Error(RELANCE_FATAL, "the daemon does not offer relance.host.http/1 (SDK 1.5)");
  return *http;
}

inline PostAnswer post_json(const relance::Host& host, const relance_host_http_v1& http, const JsonPost& p) {
  std::vector<relance_http_header> headers{{relance::str("Content-Type"), relance::str("application/json")},
                                           {relance::str("User-Agent"), relance::str(p.user_agent)}};
  headers.insert(headers.end(), p.headers.begin(), p.headers.end());
  relance_http_request request{};
  request.struct_size = sizeof request;
  request.flags = p.follow_redirects ? RELANCE_HTTP_FOLLOW_REDIRECTS : 0u;
  request.method = relance::str("POST");
  request.url = relance::str(p.url);
  request.header_count = headers.size();
  request.header_size = sizeof(relance_http_header);
  request.headers = headers.data();
  request.body = relance::str(p.body);
  request.timeout_ms = p.timeout_ms;
  request.max_response_bytes = 64 * 1024;  // the answer's body is not read: its status is the answer
  relance_http_response response{};
  response.struct_size = sizeof response;

  const relance_status s = http.request(host.raw(), &request, &response);
  if (s != RELANCE_OK) {
    const std::string why = response.error.size ? std::string(relance::view(response.error)) : "no reason given";
    // INVALID: the request cannot be sent as configured (the URL, the outbound policy): no
    // retry mends it, an administrator does, then replays the dead letters.
    return PostAnswer{s == RELANCE_INVALID ? RELANCE_INVALID : RELANCE_RETRY, 0,
                      (s == RELANCE_INVALID ? "the request was refused: " : "the partner did not answer: ") + why};
  }
  const int code = response.status;
  if (code >= 200 && code < 300) return PostAnswer{RELANCE_OK, code, {}};
  std::string why = "the partner answered HTTP " + std::to_string(code);
  if (code >= 300 && code < 400 && !p.follow_redirects) why += " (a redirect, not followed: follow_redirects is false)";
  return PostAnswer{RELANCE_OK, code, why};
}

// Suspends the instance (relance.host.suspend/1) for `why` and throws RELANCE_RETRY, so the
// event waits for an administrator's resume; a daemon without the service gets
// RELANCE_FATAL (recreated, retried, dead-lettered).
[[noreturn]] inline void suspend_instance(const relance::Host& host, const std::string& why) {
  auto* suspend = host.service<relance_host_suspend_v1>(RELANCE_HOST_SUSPEND_V1);
  if (suspend && suspend->suspend(host.raw(), relance::str(why)) == RELANCE_OK) throw relance::Error(RELANCE_RETRY, why);
  throw relance::Error(RELANCE_FATAL, why);
}

}  // namespace plugins_shared
