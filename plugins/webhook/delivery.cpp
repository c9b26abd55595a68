#include "delivery.hpp"

#include "signature.hpp"

namespace webhook {

Sender::Sender(const relance::Host& host, const Settings& settings)
    : host_(host), settings_(settings), http_(plugins_shared::http_service(host)) {}

Answer Sender::post(std::string_view id, std::int64_t timestamp, std::string_view body) const {
  const std::string stamp = std::to_string(timestamp);
  const std::string signature = sign(settings_.key, id, timestamp, body);
  plugins_shared::JsonPost p;
  p.url = settings_.url;
  p.user_agent = "Relance-Webhook/1.0";
  p.headers = {{relance::str("webhook-id"), relance::str(id)},
               {relance::str("webhook-timestamp"), relance::str(stamp)},
               {relance::str("webhook-signature"), relance::str(signature)}};
  p.body = body;
  p.timeout_ms = settings_.timeout_ms;
  p.follow_redirects = settings_.follow_redirects;
  return plugins_shared::post_json(host_, http_, p);
}

}  // namespace webhook
