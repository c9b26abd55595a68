#include "cli/field_options.hpp"

#include <algorithm>
#include <charconv>

#include "cli/when.hpp"

namespace relance::cli {
namespace json = boost::json;
using storage::FieldKind;

namespace {

bool is_list(const storage::Field& f) {
  return f.kind == FieldKind::email_list || f.kind == FieldKind::phone_list || f.kind == FieldKind::tag_list ||
         f.kind == FieldKind::text_list;
}

std::string dashed(std::string_view name) {
  std::string s(name);
  std::replace(s.begin(), s.end(), '_', '-');
  return s;
}

std::string help_of(const storage::Field& f) {
  std::string h(f.description);
  if (f.kind == FieldKind::choice) {
    h += " (one of:";
    for (std::string_view c : f.choices) h += " " + std::string(c);
    h += ")";
  }
  if (f.kind == FieldKind::stage) h += " (one of the organisation's pipeline stages: new, contacted, meeting...)";
  if (f.kind == FieldKind::timestamp)
    h += " (tomorrow 09:00, demain 9h, mon 14:30, 2026-12-05 09:00, 2026-12-05, in 2h, 3d, 1d ago, now or RFC 3339; "
         "local times in --time-zone, else yours)";
  if (f.kind == FieldKind::money) h += " (a decimal amount: 250000 or 1234.50)";
  if (f.kind == FieldKind::boolean) h += " (true or false)";
  if (is_list(f)) h += " (repeatable; on edit, replaces the list)";
  return h;
}

// The JSON value of one command-line value, by the field's kind. What does not read as the
// kind's type goes as a string, for the API to refuse with its reason.
json::value typed(const storage::Field& f, const std::string& v, const std::string& zone) {
  switch (f.kind) {
    case FieldKind::integer:
    case FieldKind::reference: {
      std::int64_t n = 0;
      const auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
      if (ec == std::errc() && ptr == v.data() + v.size()) return n;
      return json::string(v);
    }
    case FieldKind::boolean:
      if (v == "true" || v == "yes" || v == "1") return true;
      if (v == "false" || v == "no" || v == "0") return false;
      return json::string(v);
    case FieldKind::timestamp: return json::string(instant_text(v, option_name(f), zone));
    default: return json::string(v);
  }
}

}  // namespace

std::string option_name(const storage::Field& f) {
  std::string name = dashed(f.name);
  if (is_list(f) && name.ends_with('s')) name.pop_back();
  return "--" + name;
}

FieldOptions::FieldOptions(CLI::App& cmd, const RecordKind& kind, Purpose purpose,
                           std::vector<std::string_view> except)
    : entity_(kind.entity) {
  for (const storage::Field& f : kind.entity->fields) {
    if (f.has(storage::read_only) || f.kind == FieldKind::secret) continue;
    if (purpose == Purpose::update && f.has(storage::write_once)) continue;
    if (std::find(except.begin(), except.end(), f.name) != except.end()) continue;
    Value& v = values_.emplace_back(Value{&f, nullptr, {}, {}});
    std::string names = option_name(f);
    // due_at also answers to --due, occurred_at to --occurred...
    if (f.kind == FieldKind::timestamp && f.name.ends_with("_at"))
      names += ",--" + dashed(f.name.substr(0, f.name.size() - 3));
    const auto& pos = kind.positional;
    if (purpose == Purpose::create && std::find(pos.begin(), pos.end(), f.name) != pos.end())
      names = std::string(f.name) + "," + names;
    std::string help = help_of(f);
    if (purpose == Purpose::create && f.has(storage::required)) help += " [required]";
    v.option = is_list(f) ? cmd.add_option(names, v.many, help) : cmd.add_option(names, v.one, help);
  }
  const auto& fields = kind.entity->fields;
  const bool has_instants = std::any_of(fields.begin(), fields.end(), [](const storage::Field& f) {
    return f.kind == FieldKind::timestamp && !f.has(storage::read_only);
  });
  if (has_instants && !kind.entity->field("time_zone"))
    cmd.add_option("--time-zone", reading_zone_,
                   "IANA time zone the times given are read in (default: yours, from your profile)");
  if (purpose == Purpose::update)
    cmd.add_option("--unset", unset_, "Clear a field (its name, e.g. --unset company_id; repeatable)");
}

json::object FieldOptions::body() const {
  // The zone local times are read in: --time-zone, which is the record's own time_zone field
  // where it has one (a follow-up due "09:00" in Europe/Paris is 09:00 there).
  std::string zone = reading_zone_;
  for (const Value& v : values_)
    if (v.field->name == "time_zone" && v.option->count() > 0) zone = v.one;
  json::object body;
  for (const Value& v : values_) {
    if (v.option->count() == 0) continue;
    if (is_list(*v.field)) {
      json::array items;
      for (const std::string& item : v.many) items.push_back(typed(*v.field, item, zone));
      body[v.field->name] = std::move(items);
    } else {
      body[v.field->name] = typed(*v.field, v.one, zone);
    }
  }
  for (std::string name : unset_) {
    // A field's name or its option's: company_id, company-id, --company-id, --email.
    if (name.starts_with("--")) name.erase(0, 2);
    std::replace(name.begin(), name.end(), '-', '_');
    for (const storage::Field& f : entity_->fields)
      if (option_name(f) == "--" + dashed(name)) name = f.name;
    body[name] = nullptr;
  }
  return body;
}

}  // namespace relance::cli
