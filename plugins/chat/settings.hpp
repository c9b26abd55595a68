// The settings of a chat instance (a JSON object, documented to administrators through
// relance.settings-doc/3 in English and French).
#pragma once

#include <relance/settings.h>

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace chat {

// The event types an alert is written for (docs/events.md).
inline constexpr std::string_view kinds_known[] = {"followup.due", "followup.created", "outcome.recorded"};

struct Settings {
  std::string webhook_url;            // the incoming webhook; its path holds the channel's token
  std::vector<std::string> kinds;     // the event types alerted, among kinds_known
  std::string language = "fr";        // fr or en: the default templates' language
  std::map<std::string, std::string> templates;  // event type -> the administrator's template
  std::string username;               // shown as the sender where the chat allows it ("" none)
  std::uint32_t timeout_ms = 5000;
};

// "webhook_url" is flagged secret (SDK 1.6): whoever holds it can post to the channel. Its
// name does not say so, on purpose: a daemon before 1.6 would show it, and the plugin
// requires 1.6's flag (it checks the daemon's version when it loads).
inline constexpr relance_setting_v3 setting_docs[] = {
    {"webhook_url",
     "The chat's incoming webhook URL (Slack: https://hooks.slack.com/services/..., Mattermost: "
     "https://chat.example.org/hooks/...); secret, it lets whoever holds it post",
     nullptr, nullptr, RELANCE_SETTING_URL, RELANCE_SETTING_REQUIRED | RELANCE_SETTING_SECRET,
     "L'URL du webhook entrant de la messagerie (Slack\u00a0: https://hooks.slack.com/services/..., Mattermost\u00a0: "
     "https://chat.example.org/hooks/...)\u00a0; secrète, elle permet à qui la détient de publier"},
    {"kinds", "The event types alerted, comma-separated, among followup.due, followup.created, outcome.recorded",
     "followup.due,followup.created,outcome.recorded", nullptr, RELANCE_SETTING_TEXT, 0,
     "Les types d'événements signalés, séparés par des virgules, parmi followup.due, followup.created, "
     "outcome.recorded"},
    {"language", "The language of the default messages", "fr", "fr|en", RELANCE_SETTING_TEXT, 0,
     "La langue des messages par défaut"},
    {"template_followup_due",
     "The message for followup.due instead of the default; placeholders {title}, {due_at}, {contact}, {lead}, "
     "{assignee}, {id}",
     nullptr, nullptr, RELANCE_SETTING_TEXT, 0,
     "Le message de followup.due à la place de celui par défaut\u00a0; variables {title}, {due_at}, {contact}, "
     "{lead}, {assignee}, {id}"},
    {"template_followup_created",
     "The message for followup.created instead of the default; placeholders {title}, {due_at}, {id}", nullptr,
     nullptr, RELANCE_SETTING_TEXT, 0,
     "Le message de followup.created à la place de celui par défaut\u00a0; variables {title}, {due_at}, {id}"},
    {"template_outcome_recorded",
     "The message for outcome.recorded instead of the default; placeholders {kind}, {amount}, {currency}, "
     "{occurred_on}, {id}",
     nullptr, nullptr, RELANCE_SETTING_TEXT, 0,
     "Le message de outcome.recorded à la place de celui par défaut\u00a0; variables {kind}, {amount}, "
     "{currency}, {occurred_on}, {id}"},
    {"username", "The sender's name shown in the channel, where the chat lets a webhook choose it", nullptr, nullptr,
     RELANCE_SETTING_TEXT, 0, "Le nom d'expéditeur affiché, là où la messagerie le permet"},
    {"timeout_ms", "How long to wait for the chat's answer, in milliseconds; keep it below plugins.call_budget_ms",
     "5000", nullptr, RELANCE_SETTING_INTEGER, 0,
     "Le temps d'attente de la réponse, en millisecondes\u00a0; à garder sous plugins.call_budget_ms"},
};

// Throws relance::Error(RELANCE_INVALID, why) naming the setting at fault; the reason never
// quotes the webhook URL.
Settings parse_settings(std::string_view json);

}  // namespace chat
