#include "services/contact_merge_json.hpp"

#include <boost/json/parse.hpp>

#include "domain/record_json.hpp"
#include "domain/row_snapshot.hpp"

namespace relance::services {
namespace json = boost::json;
namespace ent = storage::entities;

namespace {

json::array strings_json(const std::vector<std::string>& items) {
  json::array out;
  for (const auto& s : items) out.emplace_back(s);
  return out;
}

json::object contact_json(const std::string& snapshot) {
  return domain::encode_row(ent::contacts, domain::row_from_snapshot(ent::contacts, snapshot), false);
}

// The survivor's fields the merge changed: those whose cell differs before and after.
json::array changed_fields(const storage::ContactMergeRecord& m) {
  const storage::Row before = domain::row_from_snapshot(ent::contacts, m.survivor_before);
  const storage::Row after = domain::row_from_snapshot(ent::contacts, m.survivor_after);
  json::array out;
  for (std::size_t i = 0; i < ent::contacts.fields.size(); ++i)
    if (before.values[i] != after.values[i]) out.emplace_back(ent::contacts.fields[i].name);
  return out;
}

json::value parsed_or_null(const std::string& text) {
  if (text.empty()) return nullptr;
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  return ec ? json::value() : v;
}

}  // namespace

json::array moved_json(const std::vector<MovedRows>& moved) {
  json::array out;
  for (const MovedRows& m : moved) {
    json::array ids;
    for (std::int64_t id : m.ids) ids.emplace_back(id);
    out.push_back(json::object{{"entity", m.entity}, {"field", m.field}, {"ids", std::move(ids)}});
  }
  return out;
}

std::vector<MovedRows> moved_of(const std::string& text) {
  std::vector<MovedRows> out;
  const json::value v = parsed_or_null(text);
  if (!v.is_array()) return out;
  for (const json::value& item : v.get_array()) {
    if (!item.is_object()) continue;
    const json::object& o = item.get_object();
    const json::value* entity = o.if_contains("entity");
    const json::value* field = o.if_contains("field");
    const json::value* ids = o.if_contains("ids");
    if (!entity || !entity->is_string() || !field || !field->is_string() || !ids || !ids->is_array()) continue;
    MovedRows rows{std::string(entity->get_string()), std::string(field->get_string()), {}};
    for (const json::value& id : ids->get_array())
      if (id.is_int64()) rows.ids.push_back(id.get_int64());
    out.push_back(std::move(rows));
  }
  return out;
}

json::object undo_json(const UndoResult& r) {
  return json::object{{"restored_fields", strings_json(r.restored_fields)},
                      {"kept_fields", strings_json(r.kept_fields)},
                      {"moved_back", moved_json(r.moved_back)},
                      {"left", moved_json(r.left)}};
}

json::object merge_json(const storage::ContactMergeRecord& m) {
  const std::string self = "/api/v1/contact-merges/" + std::to_string(m.id);
  const bool undone = !m.undone_at.empty();
  json::object links{{"self", self}, {"survivor", "/api/v1/contacts/" + std::to_string(m.survivor_id)}};
  if (undone) links["duplicate"] = "/api/v1/contacts/" + std::to_string(m.duplicate_id);
  else links["undo"] = self + "/undo";
  return json::object{{"id", m.id},
                      {"org_id", m.org_id},
                      {"survivor_id", m.survivor_id},
                      {"duplicate_id", m.duplicate_id},
                      {"merged_at", m.merged_at},
                      {"merged_by", m.merged_by},
                      {"fields", changed_fields(m)},
                      {"moved", parsed_or_null(m.moved)},
                      {"survivor_before", contact_json(m.survivor_before)},
                      {"survivor_after", contact_json(m.survivor_after)},
                      {"duplicate", contact_json(m.duplicate)},
                      {"undone_at", undone ? json::value(m.undone_at) : json::value()},
                      {"undone_by", undone ? json::value(m.undone_by) : json::value()},
                      {"undo_result", parsed_or_null(m.undo_result)},
                      {"links", std::move(links)}};
}

}  // namespace relance::services
