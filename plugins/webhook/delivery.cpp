#include "delivery.hpp"

#include <array>

#include "signature.hpp"

namespace webhook {

Sender::Sender(const relance::Host& host, const Settings& settings)
    : host_(host), settings_(settings), http_(host.service<relance_host_http_v1>(RELANCE_HOST_HTTP_V1)) {
  if (!http_) throw relance::Error(RELANCE_FATAL, "the daemon does not offer relance.host.http/1 (SDK 1.5)");
}

Answer Sender::post(std::string_view id, std::int64_t timestamp, std::string_view body) const {
  const std::string stamp = std::to_string(timestamp);
  const std::string signature = sign(settings_.key, id, timestamp, body);
  const std::array<relance_http_header, 5> headers{{
      {relance::str("Content-Type"), relance::str("application/json")},
      {relance::str("User-Agent"), relance::str("Relance-Webhook/1.0")},
      {relance::str("webhook-id"), relance::str(id)},
      {relance::str("webhook-timestamp"), relance::str(stamp)},
      {relance::str("webhook-signature"), relance::str(signature)},
  }};
  relance_http_request request{};
  request.struct_size = sizeof request;
  request.flags = settings_.follow_redirects ? RELANCE_HTTP_FOLLOW_REDIRECTS : 0u;
  request.method = relance::str("POST");
  request.url = relance::str(settings_.url);
  request.header_count = headers.size();
  request.header_size = sizeof(relance_http_header);
  request.headers = headers.data();
  request.body = relance::str(body);
  request.timeout_ms = settings_.timeout_ms;
  request.max_response_bytes = 64 * 1024;  // the answer's body is not read: its status is the answer
  relance_http_response response{};
  response.struct_size = sizeof response;

  const relance_status s = http_->request(host_.raw(), &request, &response);
  if (s != RELANCE_OK) {
    const std::string why = response.error.size ? std::string(relance::view(response.error)) : "no reason given";
    // INVALID: the request cannot be sent as configured (the URL, the outbound policy): no
    // retry mends it, an administrator does, then replays the dead letters.
    return Answer{s == RELANCE_INVALID ? RELANCE_INVALID : RELANCE_RETRY, 0,
                  (s == RELANCE_INVALID ? "the request was refused: " : "the partner did not answer: ") + why};
  }
  const int code = response.status;
  if (code >= 200 && code < 300) return Answer{RELANCE_OK, code, {}};
  std::string why = "the partner answered HTTP " + std::to_string(code);
  if (code >= 300 && code < 400 && !settings_.follow_redirects) why += " (a redirect, not followed: follow_redirects is false)";
  return Answer{RELANCE_OK, code, why};
}

}  // namespace webhook
