// relance_webhook: the event sink "org.relance.webhook" (relance.event-sink/1), the worked
// example of docs/connectors.md.
//
// Each event the instance subscribed to (its "events" list) is POSTed to the partner's URL as
//   {"type": TYPE, "timestamp": OCCURRED_AT, "data": THE EVENT DOCUMENT (docs/events.md)}
// signed as Standard Webhooks asks, webhook-id being "evt_" and the event's id: the same on
// every retry, so the partner drops a message it already has. The partner's answer decides:
//   2xx            delivered
//   410 Gone       the partner wants no more: the instance suspends itself
//                  (relance.host.suspend/1) until an administrator resumes it; the event
//                  waits, nothing is lost
//   anything else  RELANCE_RETRY: the daemon retries with backoff, then dead-letters
//   no answer      (down, past timeout_ms, not HTTP) RELANCE_RETRY as well
//   refused        (the outbound policy, a bad URL) RELANCE_INVALID: dead-lettered at once
// relance.self-test/1 sends one signed "webhook.test" message and reports the answer.
#include <relance/plugin.hpp>

#include <sodium.h>

#include "delivery.hpp"
#include "settings.hpp"

namespace webhook {
namespace {

class Webhook : public relance::Instance, public relance::EventSink, public relance::SelfTest {
 public:
  static constexpr const auto& documented_settings = setting_docs;

  static relance_status on_load(const relance::Host&) {
    if (sodium_init() < 0) throw relance::Error(RELANCE_FATAL, "libsodium could not start");
    return RELANCE_OK;
  }

  explicit Webhook(const relance_host* h)
      : Instance(h), settings_(parse_settings(host().settings())), sender_(host(), settings_) {}

  relance_status deliver(const relance::Event& event) override {
    const std::string id = "evt_" + std::to_string(event.id());
    const std::string body = message(event.type(), event.occurred_at(), event.document());
    const Answer a = sender_.post(id, now_s(), body);
    if (a.status != RELANCE_OK) throw relance::Error(a.status, a.why);
    if (a.http_status >= 200 && a.http_status < 300) return RELANCE_OK;
    if (a.http_status == 410) {
      const std::string why = "the partner answered 410 Gone: it wants no more events; resume the instance once "
                              "its URL is right again";
      plugins_shared::suspend_instance(host(), why);
    }
    throw relance::Error(RELANCE_RETRY, a.why);
  }

  relance_status self_test(std::string_view, std::string& report) override {
    const std::int64_t now = now_s();
    const std::string body = message("webhook.test", "", "{\"test\":true}");
    const Answer a = sender_.post("test_" + std::to_string(now), now, body);
    if (a.status != RELANCE_OK) throw relance::Error(a.status, a.why);
    report = "the partner answered HTTP " + std::to_string(a.http_status) + " to a signed test message";
    return a.http_status >= 200 && a.http_status < 300 ? RELANCE_OK : RELANCE_RETRY;
  }

 private:
  // {"type":...,"timestamp":...,"data":...}: the payload's shape Standard Webhooks recommends.
  // The type and instant are the daemon's own (no character needs escaping); the document is
  // JSON already.
  static std::string message(std::string_view type, std::string_view at, std::string_view document) {
    std::string m;
    m.reserve(document.size() + type.size() + at.size() + 48);
    m.append("{\"type\":\"").append(type).append("\",\"timestamp\":\"").append(at).append("\",\"data\":");
    m.append(document).append("}");
    return m;
  }

  std::int64_t now_s() const { return host().now_ms() / 1000; }

  Settings settings_;
  Sender sender_;
};

}  // namespace
}  // namespace webhook

RELANCE_PLUGIN(webhook::Webhook, "org.relance.webhook", "Signed webhooks", "Relance", "1.0.0")
