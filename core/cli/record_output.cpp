#include "cli/record_output.hpp"

#include <boost/json/serialize.hpp>

#include <algorithm>
#include <iostream>

#include "cli/table.hpp"
#include "cli/user_profile.hpp"
#include "cli/when.hpp"
#include "domain/time.hpp"

namespace relance::cli {
namespace json = boost::json;

void print_json(const json::value& v) { std::cout << json::serialize(v) << "\n"; }

namespace {

void add_due_local(json::object& o) {
  const json::value* due = o.if_contains("due_at");
  if (o.contains("due_local") || !due || !due->is_string()) return;
  const auto at = domain::parse_instant(due->as_string());
  if (!at) return;
  const json::value* own = o.if_contains("time_zone");
  const std::string zone = own && own->is_string() ? std::string(own->as_string()) : user_time_zone();
  o["due_local"] = domain::local_time(*at, zone).value_or("");
}

}  // namespace

json::value with_local_times(const RecordKind& kind, json::value v) {
  if (!kind.entity->field("due_at") || !v.is_object()) return v;
  json::object& o = v.as_object();
  if (json::value* items = o.if_contains("items"); items && items->is_array()) {
    for (json::value& item : items->as_array())
      if (item.is_object()) add_due_local(item.as_object());
  } else {
    add_due_local(o);
  }
  return v;
}

std::string value_text(const storage::Entity& entity, std::string_view field, const json::value* v) {
  if (!v || v->is_null()) return {};
  if (v->is_string()) {
    const storage::Field* f = entity.field(field);
    const bool instant = (f && f->kind == storage::FieldKind::timestamp) || field == "created_at" || field == "updated_at";
    return instant ? local_time(v->as_string()) : std::string(v->as_string());
  }
  if (v->is_array()) {
    std::string out;
    for (const auto& item : v->as_array()) out += (out.empty() ? "" : ", ") + value_text(entity, field, &item);
    return out;
  }
  return json::serialize(*v);
}

std::string table_text(const RecordKind& kind, const json::array& items) {
  TableRow header{say("cli.column.id")};
  for (const Column& c : kind.columns) header.push_back(say(c.header));
  std::vector<TableRow> rows;
  for (const auto& item : items) {
    const json::object& o = item.as_object();
    TableRow row{value_text(*kind.entity, "id", o.if_contains("id"))};
    for (const Column& c : kind.columns) {
      std::string cell;
      for (std::string_view f : c.fields) {
        const std::string v = value_text(*kind.entity, f, o.if_contains(f));
        if (!v.empty()) cell += (cell.empty() ? "" : c.joiner) + v;
      }
      row.push_back(std::move(cell));
    }
    rows.push_back(std::move(row));
  }
  return render_table(header, rows);
}

std::string record_text(const RecordKind& kind, const json::object& record) {
  std::size_t width = 0;
  for (const auto& kv : record) width = std::max(width, kv.key().size());
  std::string out;
  for (const auto& kv : record) {
    std::string v = value_text(*kind.entity, kv.key(), &kv.value());
    if (v.empty()) continue;
    // Continuation lines of multi-line notes line up under the first.
    for (std::size_t at = v.find('\n'); at != std::string::npos; at = v.find('\n', at + 1))
      v.insert(at + 1, std::string(width + 2, ' '));
    out += std::string(kv.key()) + ":" + std::string(width - kv.key().size() + 1, ' ') + v + "\n";
  }
  return out;
}

}  // namespace relance::cli
