#include "message.hpp"

#include <boost/json.hpp>

#include <map>

namespace chat {
namespace {

namespace json = boost::json;

// The default templates, by language then kind. French puts a no-break space before ':'.
const std::map<std::string, std::map<std::string, std::string, std::less<>>, std::less<>> defaults = {
    {"en",
     {{"followup.due", "Follow-up due: *{title}* at {due_at}"},
      {"followup.created", "New follow-up: *{title}*, due {due_at}"},
      {"outcome.recorded", "New outcome: {kind} {amount} {currency} ({occurred_on})"}}},
    {"fr",
     {{"followup.due", "Relance à faire\u00a0: *{title}* le {due_at}"},
      {"followup.created", "Nouvelle relance\u00a0: *{title}*, prévue le {due_at}"},
      {"outcome.recorded", "Nouveau résultat\u00a0: {kind} {amount} {currency} ({occurred_on})"}}},
};

const json::value* member(const json::value& v, std::string_view name) {
  return v.is_object() ? v.get_object().if_contains(name) : nullptr;
}

std::string text(const json::value* v) {
  if (!v || v->is_null()) return {};
  if (v->is_string()) return std::string(v->get_string());
  return json::serialize(*v);  // a number, as the API wrote it
}

// "2026-03-29T09:00:00" -> "2026-03-29 09:00": the minutes are what a reader needs.
std::string readable_instant(std::string s) {
  if (s.size() >= 16 && s[10] == 'T') {
    s[10] = ' ';
    const bool utc = s.back() == 'Z';
    s.resize(16);
    if (utc) s += " UTC";
  }
  return s;
}

std::string full_name(const json::value* person) {
  if (!person) return {};
  std::string first = text(member(*person, "first_name")), last = text(member(*person, "last_name"));
  return first.empty() || last.empty() ? first + last : first + " " + last;
}

// What each placeholder reads in the document.
std::map<std::string, std::string, std::less<>> values_of(const json::value& doc) {
  const json::value* data = member(doc, "data");
  const json::value empty;
  const json::value& d = data ? *data : empty;
  const json::value* due = member(doc, "due");
  const std::string due_at = due ? text(member(*due, "local")) : text(member(d, "due_at"));
  const json::value* lead = member(doc, "lead");
  const json::value* assignee = member(doc, "assignee");
  return {{"title", text(member(d, "title"))},
          {"due_at", readable_instant(due_at)},
          {"contact", full_name(member(doc, "contact"))},
          {"lead", lead ? text(member(*lead, "title")) : std::string()},
          {"assignee", assignee ? text(member(*assignee, "display_name")) : std::string()},
          {"kind", text(member(d, "kind"))},
          {"amount", text(member(d, "amount"))},
          {"currency", text(member(d, "currency"))},
          {"occurred_on", text(member(d, "occurred_on"))},
          {"id", text(member(doc, "entity_id"))}};
}

std::string filled(std::string_view t, const std::map<std::string, std::string, std::less<>>& values) {
  std::string out;
  for (std::size_t i = 0; i < t.size();) {
    const std::size_t close = t[i] == '{' ? t.find('}', i) : std::string_view::npos;
    if (close != std::string_view::npos) {
      if (const auto v = values.find(t.substr(i + 1, close - i - 1)); v != values.end()) {
        out += v->second;
        i = close + 1;
        continue;
      }
    }
    out += t[i++];
  }
  return out;
}

}  // namespace

std::string alert_text(const Settings& settings, std::string_view type, std::string_view document) {
  boost::system::error_code ec;
  const json::value doc = json::parse(json::string_view(document.data(), document.size()), ec);
  const auto mine = settings.templates.find(std::string(type));
  std::string_view t;
  if (mine != settings.templates.end()) {
    t = mine->second;
  } else {
    const auto& language = defaults.find(settings.language)->second;
    const auto d = language.find(type);
    t = d != language.end() ? std::string_view(d->second) : type;
  }
  return filled(t, ec ? std::map<std::string, std::string, std::less<>>{} : values_of(doc));
}

std::string payload(const Settings& settings, const std::string& text) {
  json::object o{{"text", text}};
  if (!settings.username.empty()) o["username"] = settings.username;
  return json::serialize(o);
}

}  // namespace chat
