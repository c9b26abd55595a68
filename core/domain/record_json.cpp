#include "domain/record_json.hpp"

#include <boost/json/serialize.hpp>

#include "domain/currency.hpp"
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

std::int64_t pow10(int n) {
  std::int64_t r = 1;
  for (; n > 0; --n) r *= 10;
  return r;
}

}  // namespace

int row_minor_units(const Entity& e, const Row& row) {
  return e.field("currency") ? minor_units_of(row.get(e, "currency")) : 2;
}

json::object encode_row(const Entity& e, const Row& row, bool redact_personal) {
  json::object o;
  o.reserve(e.fields.size() + 8);
  o["id"] = row.id;
  if (e.org_owned) o["org_id"] = row.org_id;
  const int minor = row_minor_units(e, row);
  for (std::size_t i = 0; i < e.fields.size(); ++i) {
    const Field& f = e.fields[i];
    if (f.kind == storage::FieldKind::secret) continue;
    if (redact_personal && f.has(storage::personal)) continue;
    o[f.name] = to_json(f, i < row.values.size() ? row.values[i] : storage::Value{}, minor);
  }
  o["version"] = row.version;
  o["created_at"] = row.created_at;
  o["updated_at"] = row.updated_at;
  o["created_by"] = row.created_by;
  o["updated_by"] = row.updated_by;
  if (redact_personal) o["redacted"] = true;
  return o;
}

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
      if (e.fields[i].kind != storage::FieldKind::money || body.contains(e.fields[i].name)) continue;
      if (auto* amount = std::get_if<std::int64_t>(&row.values[i])) {
        const std::string name(e.fields[i].name);
        if (ctx.minor_units > old_minor) {
          *amount *= pow10(ctx.minor_units - old_minor);
        } else {
          const std::int64_t scale = pow10(old_minor - ctx.minor_units);
          if (*amount % scale != 0)
            throw Problem::invalid(name, name + " has more decimals than the new currency allows; "
                                         "send " + name + " with the currency");
          *amount /= scale;
        }
        changed.push_back(i);
      }
    }
  }
  if (creating) {
    for (std::size_t i = 0; i < e.fields.size(); ++i) {
      const Field& f = e.fields[i];
      if (f.has(storage::required) && storage::is_null(row.values[i]))
        throw Problem::invalid(std::string(f.name), std::string(f.name) + " is required");
      if (f.has(storage::sortable) && f.kind == storage::FieldKind::text &&
          storage::is_null(row.values[i]))
        row.values[i] = std::string();  // a NOT NULL column (see to_storage)
    }
  }
  return changed;
}

std::string audit_changes(const Entity& e, const Row* before, const Row* after,
                          const std::vector<std::size_t>& changed) {
  json::object o;
  auto value_of = [&](const Row* r, std::size_t i) -> json::value {
    if (!r || i >= r->values.size()) return nullptr;
    return to_json(e.fields[i], r->values[i], row_minor_units(e, *r));
  };
  for (std::size_t i : changed) {
    if (e.fields[i].kind == storage::FieldKind::secret) {
      o[e.fields[i].name] = "(changed)";
      continue;
    }
    o[e.fields[i].name] = json::array{value_of(before, i), value_of(after, i)};
  }
  return json::serialize(o);
}

}  // namespace relance::domain
