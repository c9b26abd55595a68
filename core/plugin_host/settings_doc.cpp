#include "plugin_host/settings_doc.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <string_view>

#include "domain/fields.hpp"
#include "domain/problem.hpp"
#include "domain/text.hpp"
#include "plugin_host/loader.hpp"
#include "plugin_host/secret_settings.hpp"
#include "relance/settings.h"

namespace relance::plugin_host {
namespace {

std::string c_text(const char* s) { return s ? std::string(s) : std::string(); }

std::string type_name(std::uint32_t type) {
  switch (type) {
    case RELANCE_SETTING_INTEGER: return "integer";
    case RELANCE_SETTING_NUMBER: return "number";
    case RELANCE_SETTING_BOOLEAN: return "boolean";
    case RELANCE_SETTING_EMAIL: return "email";
    case RELANCE_SETTING_URL: return "url";
    default: return "text";  // RELANCE_SETTING_TEXT, or a type of a newer SDK
  }
}

bool starts_with_required(const std::string& description) {
  static constexpr std::string_view word = "required";
  if (description.size() < word.size()) return false;
  for (std::size_t i = 0; i < word.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(description[i])) != word[i]) return false;
  return description.size() == word.size() || !std::isalpha(static_cast<unsigned char>(description[word.size()]));
}

// An SDK 1.2 setting's type and need, read from its words.
void infer_type(DocumentedSetting& s) {
  const auto& c = s.choices;
  const bool yes_no = c.size() == 2 && std::find(c.begin(), c.end(), "true") != c.end() &&
                      std::find(c.begin(), c.end(), "false") != c.end();
  bool numeric = !s.default_value.empty();
  for (std::size_t i = 0; i < s.default_value.size() && numeric; ++i) {
    const char ch = s.default_value[i];
    numeric = std::isdigit(static_cast<unsigned char>(ch)) || (ch == '-' && i == 0) || ch == '.';
  }
  s.type = yes_no ? "boolean" : numeric && c.empty() ? "number" : "text";
  s.required = starts_with_required(s.description);
}

// Reads a table of `count` records `stride` bytes apart, each beginning as a relance_option.
template <class Record, class Read>
void read_table(const void* table, std::size_t count, std::size_t stride, Read read) {
  for (std::size_t i = 0; i < count; ++i)
    read(*reinterpret_cast<const Record*>(static_cast<const char*>(table) + i * stride));
}

DocumentedSetting setting_of(const relance_option& o) {
  DocumentedSetting s;
  s.name = c_text(o.name);
  s.description = c_text(o.description);
  s.default_value = c_text(o.default_value);
  if (o.choices) s.choices = domain::split(o.choices, '|');
  s.secret = secret_key(s.name);
  return s;
}


// The address of "Name <address>", or the whole text.
std::string_view address_of(std::string_view text) {
  const auto open = text.rfind('<');
  if (open != std::string_view::npos && !text.empty() && text.back() == '>') return text.substr(open + 1, text.size() - open - 2);
  return text;
}

// "scheme://rest": a scheme of letters, digits, '+', '-' and '.', starting with a letter.
bool absolute_url(std::string_view text) {
  const auto colon = text.find("://");
  if (colon == std::string_view::npos || colon == 0 || colon + 3 >= text.size()) return false;
  if (!std::isalpha(static_cast<unsigned char>(text[0]))) return false;
  for (std::size_t i = 0; i < colon; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (!std::isalnum(c) && c != '+' && c != '-' && c != '.') return false;
  }
  return std::none_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) <= ' '; });
}

// What is wrong with `v` as setting `s`, or "" when nothing is.
std::string wrong(const DocumentedSetting& s, const boost::json::value& v) {
  if (s.type == "integer") return v.is_int64() || v.is_uint64() ? "" : "must be an integer";
  if (s.type == "number") return v.is_number() ? "" : "must be a number";
  if (s.type == "boolean") return v.is_bool() ? "" : "must be true or false";
  if (!v.is_string()) return "must be a string";
  const std::string_view text = v.get_string();
  if (text == secret_shown && s.secret) return "";  // the stored secret, kept
  if (!s.choices.empty() && std::find(s.choices.begin(), s.choices.end(), text) == s.choices.end())
  {
    std::string listed;
    for (const auto& c : s.choices) listed += (listed.empty() ? "" : ", ") + c;
    return "must be one of " + listed;
  }
  if (s.type == "email" && !domain::normalise_email(address_of(text))) return "must be an email address";
  if (s.type == "url" && !absolute_url(text)) return "must be a URL such as scheme://host";
  return "";
}

}  // namespace

std::vector<DocumentedSetting> documented_settings(const PluginFile& plugin) {
  std::vector<DocumentedSetting> out;
  if (!plugin.loaded || !plugin.entry.get_extension) return out;
  auto keep = [&](DocumentedSetting s) {
    if (!s.name.empty()) out.push_back(std::move(s));
  };
  // /3 and /2 are the same table (a relance_setting_v3 begins as a relance_setting): the
  // newest one offered gives the stride, and description_fr when the stride holds it.
  const auto* bilingual = static_cast<const relance_settings_doc_v3*>(plugin.entry.get_extension(RELANCE_SETTINGS_DOC_V3));
  const auto* typed = static_cast<const relance_settings_doc_v2*>(plugin.entry.get_extension(RELANCE_SETTINGS_DOC_V2));
  const void* table = nullptr;
  std::size_t count = 0, stride = 0;
  if (bilingual && bilingual->struct_size >= sizeof(relance_settings_doc_v3) && bilingual->settings &&
      bilingual->setting_size >= sizeof(relance_setting_v3)) {
    table = bilingual->settings, count = bilingual->setting_count, stride = bilingual->setting_size;
  } else if (typed && typed->struct_size >= sizeof(relance_settings_doc_v2) && typed->settings &&
             typed->setting_size >= sizeof(relance_setting)) {
    table = typed->settings, count = typed->setting_count, stride = typed->setting_size;
  }
  if (table) {
    const bool french = stride >= sizeof(relance_setting_v3);
    read_table<relance_setting>(table, count, stride, [&](const relance_setting& r) {
      DocumentedSetting s = setting_of(reinterpret_cast<const relance_option&>(r));
      s.type = type_name(r.type);
      s.required = (r.flags & RELANCE_SETTING_REQUIRED) != 0;
      s.secret = s.secret || (r.flags & RELANCE_SETTING_SECRET) != 0;
      if (french) s.description_fr = c_text(reinterpret_cast<const relance_setting_v3&>(r).description_fr);
      s.declared = true;
      keep(std::move(s));
    });
    return out;
  }
  const auto* doc = static_cast<const relance_settings_doc_v1*>(plugin.entry.get_extension(RELANCE_SETTINGS_DOC_V1));
  if (!doc || doc->struct_size < sizeof(relance_settings_doc_v1) || !doc->settings ||
      doc->setting_size < sizeof(relance_option))
    return out;
  read_table<relance_option>(doc->settings, doc->setting_count, doc->setting_size, [&](const relance_option& o) {
    DocumentedSetting s = setting_of(o);
    infer_type(s);
    keep(std::move(s));
  });
  return out;
}

std::vector<std::string> secret_names(const std::vector<DocumentedSetting>& documented) {
  std::vector<std::string> out;
  for (const DocumentedSetting& s : documented)
    if (s.secret) out.push_back(s.name);
  return out;
}

void check_settings(const std::vector<DocumentedSetting>& documented, const boost::json::object& settings) {
  for (const DocumentedSetting& s : documented) {
    if (!s.declared) continue;
    const std::string where = "settings/" + s.name;
    const boost::json::value* v = settings.if_contains(s.name);
    if (!v || v->is_null()) {
      if (s.required) throw Problem::invalid(where, where + " is required: " + s.description);
      continue;
    }
    if (const std::string why = wrong(s, *v); !why.empty()) throw Problem::invalid(where, where + " " + why);
  }
}

std::string default_settings(const std::vector<DocumentedSetting>& documented) {
  boost::json::object out;
  for (const DocumentedSetting& s : documented) {
    if (s.default_value.empty()) continue;
    const bool json_typed = s.type == "integer" || s.type == "number" || s.type == "boolean";
    boost::system::error_code ec;
    boost::json::value v = json_typed ? boost::json::parse(s.default_value, ec) : boost::json::value();
    // A default in words ("the sender's domain") stays text: the plugin reads its own words.
    out[s.name] = json_typed && !ec && wrong(s, v).empty() ? v : boost::json::value(s.default_value);
  }
  return boost::json::serialize(out);
}

}  // namespace relance::plugin_host
