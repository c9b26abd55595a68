// The instance's settings (relance.host.config/1, a JSON object):
//
//   smtp_url            required: "smtp://host:port" (plain, STARTTLS as `starttls` says) or
//                       "smtps://host:465" (TLS from the first byte)
//   starttls            "required", "try" (default: TLS when the server offers it) or "no";
//                       smtp:// only
//   username, password  authenticate (AUTH) when username is given
//   from                required: "Relance <relance@example.org>" or a bare address
//   connect_timeout_ms  connection (TCP and TLS handshake), default 5000
//   timeout_ms          the whole transfer, connection included, default 8000; both stay
//                       below the daemon's call budget (10 s by default)
//   insecure_tls        do not verify the server's certificate (tests only), default false
//   message_id_domain   right-hand side of Message-IDs, default the from address's domain
//
// Anything else, or a value of the wrong type, refuses the instance (INVALID) with a reason
// naming the setting. `setting_docs` says the same to administrators (SDK 1.3,
// relance.settings-doc/2 with their types: `relance plugin settings org.relance.email-reminder`).
#pragma once

#include <relance/plugin.hpp>

#include <string>
#include <string_view>

namespace email_reminder {

inline constexpr relance_setting setting_docs[] = {
    {"smtp_url", "The server: smtp://host:port (STARTTLS as `starttls` says) or smtps://host:465 (TLS from the first "
                 "byte), e.g. smtp://smtp.example.org:587",
     nullptr, nullptr, RELANCE_SETTING_URL, RELANCE_SETTING_REQUIRED},
    {"starttls", "smtp:// only: required, try (TLS when the server offers it) or no", "try", "required|try|no",
     RELANCE_SETTING_TEXT, 0},
    {"username", "Authenticate (AUTH) as this user, e.g. relance@example.org; no AUTH without it", nullptr, nullptr,
     RELANCE_SETTING_TEXT, 0},
    {"password", "The password of `username` (stored sealed, shown as \"(set)\")", nullptr, nullptr,
     RELANCE_SETTING_TEXT, 0},
    {"from", "The sender, e.g. \"Relance <relance@example.org>\" or relance@example.org", nullptr, nullptr,
     RELANCE_SETTING_EMAIL, RELANCE_SETTING_REQUIRED},
    {"connect_timeout_ms", "Connection timeout (TCP and TLS handshake), in milliseconds, e.g. 3000", "5000", nullptr,
     RELANCE_SETTING_INTEGER, 0},
    {"timeout_ms", "The whole transfer, connection included, in milliseconds; keep it below the daemon's call budget "
                   "(plugins.call_budget_ms, 10000 by default)",
     "8000", nullptr, RELANCE_SETTING_INTEGER, 0},
    {"insecure_tls", "Do not verify the server's certificate (tests only)", "false", nullptr, RELANCE_SETTING_BOOLEAN,
     0},
    {"message_id_domain", "Right-hand side of the Message-IDs, e.g. example.org", "the domain of `from`", nullptr,
     RELANCE_SETTING_TEXT, 0},
};

enum class StartTls { required, attempt, no };

struct Settings {
  std::string smtp_url;
  bool implicit_tls = false;  // smtps://
  StartTls starttls = StartTls::attempt;
  std::string username, password;
  std::string from_name;     // display name of `from`, UTF-8, may be empty
  std::string from_address;  // addr-spec of `from`, also the envelope sender
  long connect_timeout_ms = 5000;
  long timeout_ms = 8000;
  bool insecure_tls = false;
  std::string message_id_domain;
};

// Throws relance::Error(RELANCE_INVALID, reason) for settings that cannot work.
Settings parse_settings(std::string_view json);

}  // namespace email_reminder
