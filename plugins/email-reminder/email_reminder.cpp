// relance_email_reminder: the event sink "org.relance.email-reminder" (relance.event-sink/1).
//
//   followup.due  one email to the follow-up's assignee, with the follow-up as an .ics
//   digest.due    the user's daily digest; nothing when it would be empty
//   region_digest.due  a region staff member's weekly digest; nothing when it would be empty
//   anything else RELANCE_UNSUPPORTED
//
// relance.self-test/1 (SDK 1.2): {"to": EMAIL} sends one short message with the instance's
// settings and reports the server's answer. Settings (documented to administrators through
// relance.settings-doc/2): settings.hpp. Messages: message.hpp. Sending and its statuses: smtp.hpp. A
// document that is not JSON, or from which no email can be made, is RELANCE_INVALID.
#include <relance/plugin.hpp>

#include <boost/json.hpp>

#include <chrono>

#include "message.hpp"
#include "settings.hpp"
#include "smtp.hpp"

namespace email_reminder {
namespace {

class EmailReminder : public relance::Instance, public relance::EventSink, public relance::SelfTest {
 public:
  static constexpr const auto& documented_settings = setting_docs;

  // libcurl's global state, once, on the main thread before any instance exists.
  static relance_status on_load(const relance::Host&) {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) throw relance::Error(RELANCE_FATAL, "libcurl: global init failed");
    return RELANCE_OK;
  }

  explicit EmailReminder(const relance_host* h)
      : Instance(h), settings_(parse_settings(host().settings())), smtp_(settings_, host()) {
    if (settings_.timeout_ms >= 10000)
      host().warn("timeout_ms " + std::to_string(settings_.timeout_ms) +
                  " reaches the daemon's default call budget of 10000 ms: a slow server would suspend the instance");
    if (!settings_.username.empty() && !settings_.implicit_tls && settings_.starttls != StartTls::required)
      host().warn("the password may cross the network in clear text: use smtps:// or starttls \"required\"");
    host().info("sending from " + settings_.from_address + " through " + settings_.smtp_url);
  }

  relance_status deliver(const relance::Event& event) override {
    const std::string_view type = event.type();
    if (type != "followup.due" && type != "digest.due" && type != "region_digest.due") return RELANCE_UNSUPPORTED;

    boost::json::value doc;
    try {
      const std::string_view text = event.document();
      doc = boost::json::parse(boost::json::string_view(text.data(), text.size()));
    } catch (const std::exception& e) {
      throw relance::Error(RELANCE_INVALID, std::string("the event's document is not JSON: ") + e.what());
    }
    if (!doc.is_object()) throw relance::Error(RELANCE_INVALID, "the event's document is not a JSON object");

    const Context context{mime::Mailbox{settings_.from_name, settings_.from_address}, settings_.message_id_domain,
                          now_ms()};
    const auto mail = type == "followup.due" ? followup_due(doc.get_object(), event.id(), context)
                      : type == "digest.due" ? digest_due(doc.get_object(), event.id(), context)
                                             : region_digest_due(doc.get_object(), event.id(), context);
    if (!mail) return RELANCE_OK;  // an empty digest: nothing to say
    smtp_.send(settings_.from_address, mail->recipient, mail->data);
    return RELANCE_OK;
  }

  relance_status self_test(std::string_view request, std::string& report) override {
    boost::json::value doc;
    boost::system::error_code ec;
    doc = boost::json::parse(boost::json::string_view(request.data(), request.size()), ec);
    const boost::json::value* to = !ec && doc.is_object() ? doc.get_object().if_contains("to") : nullptr;
    const auto mailbox = to && to->is_string() ? mime::parse_mailbox(std::string(to->get_string())) : std::nullopt;
    if (!mailbox) throw relance::Error(RELANCE_INVALID, "the test needs {\"to\": an email address}");
    const Context context{mime::Mailbox{settings_.from_name, settings_.from_address}, settings_.message_id_domain,
                          now_ms()};
    const Outgoing mail = test_message(*mailbox, context);
    smtp_.send(settings_.from_address, mail.recipient, mail.data);  // a failure throws its reason
    report = "the SMTP server at " + smtp_.server() + " accepted the message from " + settings_.from_address +
             " to " + mail.recipient + ": " + (smtp_.accepted().empty() ? "(no reply text)" : smtp_.accepted());
    return RELANCE_OK;
  }

 private:
  // The daemon's clock when it offers one, else the system's.
  int64_t now_ms() const {
    if (auto* clock = host().service<relance_host_clock_v1>(RELANCE_HOST_CLOCK_V1)) return clock->now_ms(host().raw());
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
  }

  Settings settings_;
  Smtp smtp_;
};

}  // namespace
}  // namespace email_reminder

RELANCE_PLUGIN(email_reminder::EmailReminder, "org.relance.email-reminder", "Email reminders", "Relance", "1.0.0")
