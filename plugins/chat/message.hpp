// The text of an alert: the instance's template for the event's kind, or the default one in
// its language, with each {placeholder} replaced by the event's value (docs/connectors.md,
// "chat"), and the JSON payload Slack and Mattermost incoming webhooks both take.
#pragma once

#include <string>
#include <string_view>

#include "settings.hpp"

namespace chat {

// The alert's text for `document` (a relance.event/1 document, docs/events.md) of `type`.
// A placeholder the event does not fill becomes empty; an unknown one stays as written.
std::string alert_text(const Settings& settings, std::string_view type, std::string_view document);

// {"text": TEXT} and, when set, "username": what Slack's and Mattermost's incoming webhooks
// both read.
std::string payload(const Settings& settings, const std::string& text);

}  // namespace chat
