// The secret settings of plugin instances: write-only through the API, sealed at rest
// (auth/secret_box.hpp), in clear only in the instance's own copy (relance.host.config/1),
// and never in a log line or an error text.
//
// What is secret, at any depth of the settings object:
//   - the string value of a key whose name holds "password", "passwd", "secret", "token"
//     or "key" (any case: smtp_password, api_key, clientSecret), and every string below
//     such a key;
//   - the password of a URL's user-info in any string ("smtp://user:pass@host": "pass").
//   - (SDK 1.6) a top-level setting the plugin flags RELANCE_SETTING_SECRET, whatever its
//     name (`declared`, from settings_doc.hpp's secret_names());
//   - a sealed value, wherever it lies: once sealed, a value stays secret, so the code that
//     opens or shows stored settings needs no schema.
// Plugins of SDK 1.0 to 1.5 cannot flag a setting: for them names are the rule.
//
// The API shows a secret as "(set)" (a URL keeps its user and host:
// "smtp://user:(set)@host"). A client that sends "(set)" back in the same place keeps the
// stored secret, so a settings object read from the API can be changed and sent back.
#pragma once

#include <boost/json/object.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "auth/secret_box.hpp"

namespace relance::plugin_host {

inline constexpr std::string_view secret_shown = "(set)";
inline constexpr std::string_view secret_redacted = "(secret)";

bool secret_key(std::string_view key);

// The settings a client gave, as the database keeps them: every secret sealed, and each
// "(set)" replaced by the secret `stored` holds in the same place. Throws Problem 422
// (settings/<path>) for a "(set)" where nothing is stored.
boost::json::object seal_settings(const boost::json::object& given, const boost::json::object& stored,
                                  const auth::SecretBox& box, const std::vector<std::string>& declared = {});
// The stored settings with the secrets still in clear sealed (a database written before
// secrets were sealed); false when there were none.
bool seal_clear_secrets(boost::json::object& stored, const auth::SecretBox& box,
                        const std::vector<std::string>& declared = {});
// True when the stored settings hold a sealed secret.
bool holds_sealed_secrets(const boost::json::object& stored);

// The stored settings as the API shows them: each secret "(set)".
boost::json::object shown_settings(const boost::json::object& stored);

// The stored settings as the plugin instance gets them, secrets in clear; the clear
// secrets are added to `secrets` (for redact). Throws std::runtime_error when a secret does
// not open with `box`.
boost::json::object opened_settings(const boost::json::object& stored, const auth::SecretBox& box,
                                    std::vector<std::string>& secrets);

// `text` with every secret of `secrets` replaced by "(secret)", as given, percent-encoded
// or decoded, and JSON-escaped; and the password of any URL user-info in it too.
std::string redact(std::string_view text, const std::vector<std::string>& secrets);

}  // namespace relance::plugin_host
