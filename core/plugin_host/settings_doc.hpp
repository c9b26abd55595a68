// What a plugin says about its instances' settings (sdk/include/relance/settings.h): the
// settings it documents with their types and French descriptions (relance.settings-doc/3,
// SDK 1.6), with their types (relance.settings-doc/2, SDK 1.3) or words only
// (relance.settings-doc/1, SDK 1.2), and the check of an instance's settings against them
// before they are stored. Plugins built before SDK 1.2 document nothing: nothing is checked
// by the daemon, the plugin's own create_instance still is.
//
// Thread safety: from any thread (the tables are the loaded plugin's constants).
#pragma once

#include <boost/json/object.hpp>

#include <string>
#include <vector>

namespace relance::plugin_host {

struct PluginFile;

struct DocumentedSetting {
  std::string name, description, default_value;
  std::string description_fr;        // empty: none (relance.settings-doc/3, SDK 1.6)
  std::vector<std::string> choices;  // empty: free values
  std::string type = "text";         // text, integer, number, boolean, email, url
  bool required = false;
  bool declared = false;  // type and required as the plugin declared them (relance.settings-doc/2)
  // Flagged RELANCE_SETTING_SECRET (SDK 1.6), or named as a secret (secret_key()): the rule
  // for plugins of SDK 1.0 to 1.5, kept for every plugin.
  bool secret = false;
};

// The names of the settings in `documented` that are secret (for seal_settings()).
std::vector<std::string> secret_names(const std::vector<DocumentedSetting>& documented);

// The settings `plugin` documents, in its order; empty when it documents none. A plugin that
// declares types (SDK 1.3) is read as it declares them; one of SDK 1.2 documents names and
// words only, and its types are read from them: "true|false" choices are a boolean, a
// numeric default a number, a description starting "Required." a required setting.
std::vector<DocumentedSetting> documented_settings(const PluginFile& plugin);

// Checks `settings`, a whole settings object as a client gave it (secrets in clear, or
// "(set)" for a stored one), against the settings the plugin declared with types: a setting
// of the wrong JSON type, outside its choices, not an email address or not a URL, or a
// required one missing, throws Problem::invalid naming "settings/<name>". Settings the plugin
// documents only in words (SDK 1.2) and keys it does not document are left to the plugin.
void check_settings(const std::vector<DocumentedSetting>& documented, const boost::json::object& settings);

// The settings object of an instance nobody configured (an exporter's, sdk/include/relance/
// exporter.h): each documented setting that has a default, as its type reads it ("5000" a
// number for an integer, "true" a boolean), the others absent. "{}" when none.
std::string default_settings(const std::vector<DocumentedSetting>& documented);

}  // namespace relance::plugin_host
