#include "settings.hpp"

#include <relance/plugin.hpp>

#include <boost/json.hpp>

#include <algorithm>

namespace chat {
namespace {

[[noreturn]] void refuse(const std::string& setting, const std::string& why) {
  throw relance::Error(RELANCE_INVALID, "the setting " + setting + " " + why);
}

std::string text_of(const boost::json::object& o, const char* name, std::string fallback) {
  const auto* v = o.if_contains(name);
  if (!v || v->is_null()) return fallback;
  if (!v->is_string()) refuse(name, "is not a string");
  return std::string(v->get_string());
}

std::string trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return std::string(s);
}

}  // namespace

Settings parse_settings(std::string_view text) {
  boost::system::error_code ec;
  const boost::json::value v = boost::json::parse(boost::json::string_view(text.data(), text.size()), ec);
  if (ec || !v.is_object()) throw relance::Error(RELANCE_INVALID, "the settings are not a JSON object");
  const boost::json::object& o = v.get_object();
  Settings s;

  s.webhook_url = text_of(o, "webhook_url", "");
  if (s.webhook_url.empty()) refuse("webhook_url", "is missing");
  if (!s.webhook_url.starts_with("https://") && !s.webhook_url.starts_with("http://"))
    refuse("webhook_url", "is not an http:// or https:// URL");

  const std::string kinds = text_of(o, "kinds", "followup.due,followup.created,outcome.recorded");
  for (std::size_t from = 0; from <= kinds.size();) {
    const std::size_t comma = std::min(kinds.find(',', from), kinds.size());
    const std::string kind = trimmed(std::string_view(kinds).substr(from, comma - from));
    from = comma + 1;
    if (kind.empty()) continue;
    if (std::find(std::begin(kinds_known), std::end(kinds_known), kind) == std::end(kinds_known))
      refuse("kinds", "names \"" + kind + "\": the kinds are followup.due, followup.created, outcome.recorded");
    s.kinds.push_back(kind);
  }

  s.language = text_of(o, "language", "fr");
  if (s.language != "fr" && s.language != "en") refuse("language", "is neither fr nor en");

  for (std::string_view kind : kinds_known) {
    std::string name = "template_" + std::string(kind);
    std::replace(name.begin(), name.end(), '.', '_');
    std::string t = text_of(o, name.c_str(), "");
    if (!t.empty()) s.templates[std::string(kind)] = std::move(t);
  }
  s.username = text_of(o, "username", "");

  if (const auto* t = o.if_contains("timeout_ms"); t && !t->is_null()) {
    if (!t->is_int64() || t->get_int64() < 100 || t->get_int64() > 60000)
      refuse("timeout_ms", "is not a number of milliseconds from 100 to 60000");
    s.timeout_ms = static_cast<std::uint32_t>(t->get_int64());
  }
  return s;
}

}  // namespace chat
