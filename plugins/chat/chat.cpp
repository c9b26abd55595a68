// relance_chat: the event sink "org.relance.chat" (relance.event-sink/1): follow-up and
// outcome alerts posted to a Slack- or Mattermost-style incoming webhook.
//
// Each event of a kind the instance alerts ("kinds") is POSTed to its webhook_url as
// {"text": ALERT} (and "username" when set), ALERT being the kind's template filled from the
// event (message.hpp). Other events are acknowledged and dropped. The chat's answer decides:
//   2xx            delivered
//   404, 410       the webhook was deleted: the instance suspends itself
//                  (relance.host.suspend/1) until an administrator resumes it; the event
//                  waits, nothing is lost
//   429, 5xx       RELANCE_RETRY: the daemon retries with backoff, then dead-letters
//   other          RELANCE_INVALID: the chat refuses this message (a retry sends the same)
//   no answer      (down, past timeout_ms, not HTTP) RELANCE_RETRY as well
//   refused        (the outbound policy, a bad URL) RELANCE_INVALID: dead-lettered at once
// webhook_url is a secret (RELANCE_SETTING_SECRET): only a daemon of SDK 1.6 or later honours
// the flag, so the plugin refuses to load into an older one rather than see its URL shown.
#include <relance/plugin.hpp>

#include <algorithm>

#include "json_post.hpp"
#include "message.hpp"
#include "settings.hpp"

namespace chat {
namespace {

class Chat : public relance::Instance, public relance::EventSink {
 public:
  static constexpr const auto& documented_settings = setting_docs;

  static relance_status on_load(const relance::Host& host) {
    if (host.raw()->sdk_minor < 6)
      throw relance::Error(RELANCE_FATAL, "the daemon's SDK is older than 1.6: it would show webhook_url, a secret");
    return RELANCE_OK;
  }

  explicit Chat(const relance_host* h)
      : Instance(h), settings_(parse_settings(host().settings())), http_(plugins_shared::http_service(host())) {}

  relance_status deliver(const relance::Event& event) override {
    const std::string type(event.type());
    if (std::find(settings_.kinds.begin(), settings_.kinds.end(), type) == settings_.kinds.end()) return RELANCE_OK;
    const std::string body = payload(settings_, alert_text(settings_, type, event.document()));
    plugins_shared::JsonPost p;
    p.url = settings_.webhook_url;
    p.user_agent = "Relance-Chat/1.0";
    p.body = body;
    p.timeout_ms = settings_.timeout_ms;
    const plugins_shared::PostAnswer a = plugins_shared::post_json(host(), http_, p);
    if (a.status != RELANCE_OK) throw relance::Error(a.status, a.why);
    const int code = a.http_status;
    if (code >= 200 && code < 300) return RELANCE_OK;
    if (code == 404 || code == 410)
      plugins_shared::suspend_instance(host(), "the chat answered HTTP " + std::to_string(code) +
                                                   ": its webhook was deleted; resume the instance once "
                                                   "webhook_url is right again");
    throw relance::Error(code == 429 || code >= 500 ? RELANCE_RETRY : RELANCE_INVALID, a.why);
  }

 private:
  Settings settings_;
  const relance_host_http_v1& http_;
};

}  // namespace
}  // namespace chat

RELANCE_PLUGIN(chat::Chat, "org.relance.chat", "Chat alerts", "Relance", "1.0.0")
