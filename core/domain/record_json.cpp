#include "domain/record_json.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>

#include "domain/currency.hpp"
#include "domain/json_text.hpp"
#include "domain/problem.hpp"
#include "domain/text.hpp"

namespace relance::domain {
namespace json = boost::json;
using storage::Entity;
using storage::Field;
using storage::Row;

namespace {

constexpr std::string_view server_fields[] = {"id",         "org_id",     "version",
                                              "created_at", "updated_at", "created_by",
                                              "updated_by", "redacted"};

bool is_server_field(std::string_view name) {
  for (std::string_view s : server_fields)
    if (s == name) return true;
  return false;
}

int minor_units_of(const storage::Value& currency) {
  if (const auto* c = std::get_if<std::string>(&currency))
    if (auto m = currency_minor_units(*c)) return *m;
  return 2;
}

}  // namespace

int row_minor_units(const Entity& e, const Row& row) {
  return e.field("currency") ? minor_units_of(row.get(e, "currency")) : 2;
}

void append_row_json(std::string& out, const Entity& e, const Row& row, bool redact_personal) {
  auto key = [&](std::string_view k) {
    out += out.back() == '{' ? "\"" : ",\"";
    out += k;
    out += "\":";
  };
  out += '{';
  key("id");
  append_json_int(out, row.id);
  if (e.org_owned) {
    key("org_id");
    append_json_int(out, row.org_id);
  }
  const int minor = row_minor_units(e, row);
  static const storage::Value null_value;
  for (std::size_t i = 0; i < e.fields.size(); ++i) {
    const Field& f = e.fields[i];
    if (f.kind == storage::FieldKind::secret) continue;
    if (redact_personal && f.has(storage::personal)) continue;
    key(f.name);
    append_json(out, f, i < row.values.size() ? row.values[i] : null_value, minor);
  }
  key("version");
  append_json_int(out, row.version);
  key("created_at");
  append_json_string(out, row.created_at);
  key("updated_at");
  append_json_string(out, row.updated_at);
  key("created_by");
  append_json_int(out, row.created_by);
  key("updated_by");
  append_json_int(out, row.updated_by);
  if (redact_personal) {
    key("redacted");
    out += "true";
  }
  out += '}';
}

std::string row_json(const Entity& e, const Row& row, bool redact_personal) {
  std::string out;
  out.reserve(1024);  // a contact with the usual fields fits: one allocation
  append_row_json(out, e, row, redact_personal);
  return out;
}

json::object encode_row(const Entity& e, const Row& row, bool redact_personal) {
  return json::parse(row_json(e, row, redact_personal)).as_object();
}

std::vector<std::string> string_items(const json::object& record, std::string_view field) {
  std::vector<std::string> out;
  auto it = record.find(field);
  if (it == record.end() || !it->value().is_array()) return out;
  for (const auto& v : it->value().get_array())
    if (v.is_string()) out.emplace_back(v.get_string());
  return out;
}

namespace {

// The country phones of a record of `e` are read in ("" = the organisation's region): for
// an entity with phones and a country (contacts).
std::string phone_country(const Entity& e, const json::object& body, const Row& row, bool creating) {
  const auto country = e.index_of("country");
  const bool has_phones = std::any_of(e.fields.begin(), e.fields.end(),
                                      [](const Field& f) { return f.kind == storage::FieldKind::phone_list; });
  if (!country || !has_phones) return {};
  if (auto it = body.find("country"); it != body.end()) {
    if (!it->value().is_string()) return {};  // null: cleared; anything else is refused below
    return phone_region(std::string_view(it->value().get_string())).value_or("");
  }
  if (creating) return {};
  const auto* stored = std::get_if<std::string>(&row.values[*country]);
  return stored ? phone_region(*stored).value_or("") : std::string();
}

}  // namespace

std::vector<std::size_t> apply_body(const Entity& e, const json::object& body, Row& row,
                                    bool creating, FieldContext ctx) {
  row.values.resize(e.fields.size());
  // The currency decides how amounts read, so it is settled first.
  const int old_minor = row_minor_units(e, row);
  ctx.minor_units = old_minor;
  if (auto it = body.find("currency"); it != body.end() && e.field("currency")) {
    if (it->value().is_string())
      if (auto m = currency_minor_units(fold_ascii_upper(std::string_view(it->value().get_string()))))
        ctx.minor_units = *m;
  }
  // Phones written without "+" are read in the record's country (the one this body sets,
  // whatever the order of its keys, else the one stored), else the organisation's region.
  const std::string country = phone_country(e, body, row, creating);
  if (!country.empty()) {
    ctx.default_region = country;
    ctx.region_source = "the contact's country";
  }
  std::vector<std::size_t> changed;
  for (const auto& [key, value] : body) {
    const std::string_view name = key;
    const auto index = e.index_of(name);
    if (!index) {
      if (is_server_field(name))
        throw Problem::bad_request(std::string(name) + " is set by the server and cannot be written",
                                   std::string(name));
      throw Problem::bad_request("unknown field " + std::string(name) + " for a " +
                                     std::string(e.singular),
                                 std::string(name));
    }
    const Field& f = e.fields[*index];
    if (f.has(storage::read_only) || f.kind == storage::FieldKind::secret)
      throw Problem::bad_request(std::string(name) + " is set by the server and cannot be written",
                                 std::string(name));
    if (!creating && f.has(storage::write_once))
      throw Problem::bad_request(std::string(name) + " cannot be changed after creation",
                                 std::string(name));
    storage::Value v = to_storage(f, value, ctx);
    if (v != row.values[*index]) {
      row.values[*index] = std::move(v);
      changed.push_back(*index);
    }
  }
  // A new currency with the same amount: keep the amount's value, not its minor units.
  if (ctx.minor_units != old_minor && !creating) {
    for (std::size_t i = 0; i < e.fields.size(); ++i) {
      if (e.fields[i].kind != storage::FieldKind::money || !e.fields[i].fixed_currency.empty() ||
          body.contains(e.fields[i].name))
        continue;
      if (auto* amount = std::get_if<std::int64_t>(&row.values[i])) {
        const std::string name(e.fields[i].name);
        if (ctx.minor_units > old_minor) {
          *amount *= power_of_ten(ctx.minor_units - old_minor);
        } else {
          const std::int64_t scale = power_of_ten(old_minor - ctx.minor_units);
          if (*amount % scale != 0)
            throw Problem::invalid(name, name + " has more decimals than the new currency allows; "
                                         "send " + name + " with the currency");
          *amount /= scale;
        }
        changed.push_back(i);
      }
    }
  }
  if (creating) settle_new_row(e, row);
  return changed;
}

void settle_new_row(const Entity& e, Row& row) {
  row.values.resize(e.fields.size());
  for (std::size_t i = 0; i < e.fields.size(); ++i) {
    const Field& f = e.fields[i];
    if (f.has(storage::required) && storage::is_null(row.values[i]))
      throw Problem::invalid(std::string(f.name), std::string(f.name) + " is required");
    if (f.has(storage::not_null) && f.kind == storage::FieldKind::text &&
        storage::is_null(row.values[i]))
      row.values[i] = std::string();  // a NOT NULL column (see to_storage)
  }
}

std::string audit_changes(const Entity& e, const Row* before, const Row* after,
                          const std::vector<std::size_t>& changed) {
  std::string out = "{";
  auto value_of = [&](const Row* r, std::size_t i) {
    if (!r || i >= r->values.size()) out += "null";
    else append_json(out, e.fields[i], r->values[i], row_minor_units(e, *r));
  };
  for (std::size_t i : changed) {
    if (out.size() > 1) out += ',';
    append_json_string(out, e.fields[i].name);
    out += ':';
    if (e.fields[i].kind == storage::FieldKind::secret) {
      out += "\"(changed)\"";
      continue;
    }
    out += '[';
    value_of(before, i);
    out += ',';
    value_of(after, i);
    out += ']';
  }
  out += '}';
  return out;
}

}  // namespace relance::domain
