// The settings of a webhook instance (a JSON object, documented to administrators through
// relance.settings-doc/2). Which events are sent is the instance's own subscription (its
// "events" list), not a setting.
#pragma once

#include <relance/settings.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace webhook {

struct Settings {
  std::string url;         // the partner's endpoint, http:// or https://
  std::string key;         // the secret's bytes (the base64 after "whsec_", decoded)
  std::uint32_t timeout_ms = 5000;
  bool follow_redirects = false;
};

// "secret" is flagged RELANCE_SETTING_SECRET (SDK 1.6), and its name says so too for a
// 1.5 daemon: the daemon stores it sealed, shows it as "(set)" and redacts it from logs and
// errors (relance/settings.h).
inline constexpr relance_setting_v3 setting_docs[] = {
    {"url", "The partner's endpoint that receives the events, e.g. https://partner.example/hooks/relance", nullptr,
     nullptr, RELANCE_SETTING_URL, RELANCE_SETTING_REQUIRED,
     "L'adresse du partenaire qui reçoit les événements, par exemple https://partenaire.example/hooks/relance"},
    {"secret",
     "The signing secret shared with the partner, \"whsec_\" followed by 24 to 64 random bytes in base64 "
     "(Standard Webhooks)",
     nullptr, nullptr, RELANCE_SETTING_TEXT, RELANCE_SETTING_REQUIRED | RELANCE_SETTING_SECRET,
     "Le secret de signature partagé avec le partenaire, « whsec_ » suivi de 24 à 64 octets aléatoires en base64 "
     "(Standard Webhooks)"},
    {"timeout_ms", "How long to wait for the partner's answer, in milliseconds; keep it below the daemon's "
                   "plugins.call_budget_ms",
     "5000", nullptr, RELANCE_SETTING_INTEGER, 0,
     "Le temps d'attente de la réponse du partenaire, en millisecondes ; à garder sous plugins.call_budget_ms du "
     "démon"},
    {"follow_redirects",
     "Follow the partner's redirects (each one checked by the daemon's outbound policy); a redirect not followed "
     "is retried, then dead-lettered",
     "false", "true|false", RELANCE_SETTING_BOOLEAN, 0,
     "Suivre les redirections du partenaire (chacune contrôlée par la politique de sortie du démon) ; une "
     "redirection non suivie est réessayée, puis mise en lettres mortes"},
};

// Throws relance::Error(RELANCE_FATAL, why) for settings no instance can work with; the
// reason never quotes the secret.
Settings parse_settings(std::string_view json);

}  // namespace webhook
