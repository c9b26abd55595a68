#include "exports/reference_names.hpp"

#include <algorithm>

namespace relance::exports {
namespace {

namespace ent = storage::entities;

// The fields that name a row of `e` (none: its rows are not named in exports).
std::vector<std::string_view> name_fields(const storage::Entity& e) {
  if (&e == &ent::contacts) return {"first_name", "last_name"};
  if (&e == &ent::users) return {"display_name"};
  if (&e == &ent::leads) return {"title"};
  if (&e == &ent::companies || &e == &ent::events || &e == &ent::organisations) return {"name"};
  return {};
}

// company_id -> company_name, source_event_id -> source_event_name, lead_id -> lead_title.
std::string column_name(std::string_view field, const storage::Entity& target) {
  std::string base(field.substr(0, field.size() - (field.ends_with("_id") ? 3 : 0)));
  return base + (&target == &ent::leads ? "_title" : "_name");
}

}  // namespace

ReferenceNames::ReferenceNames(storage::Store& store, const services::RecordService& records,
                               const auth::Principal& p, const storage::Entity& dataset)
    : store_(store), records_(records), p_(p), dataset_(dataset) {
  std::vector<std::string_view> after;
  // Region staff read the rows of several start-ups: which one comes first.
  if (p_.is_staff() && dataset.org_owned) {
    column_names_.emplace_back("organisation_name");
    after.emplace_back("id");
    sources_.push_back({0, true, target_of(ent::organisations, name_fields(ent::organisations),
                                           storage::Scope::everything())});
  }
  for (std::size_t i = 0; i < dataset.fields.size(); ++i) {
    const storage::Field& f = dataset.fields[i];
    if (f.kind != storage::FieldKind::reference) continue;
    const storage::Entity* target = storage::find_entity(f.references);
    if (!target || name_fields(*target).empty()) continue;
    column_names_.push_back(column_name(f.name, *target));
    after.push_back(f.name);
    sources_.push_back({i, false, target_of(*target, name_fields(*target), records_.read_scope(p_, *target))});
  }
  for (std::size_t c = 0; c < column_names_.size(); ++c) {
    const Target& t = targets_[sources_[c].target];
    const bool personal = std::any_of(t.fields.begin(), t.fields.end(), [&](std::string_view name) {
      return t.entity->field(name)->has(storage::personal);
    });
    columns_.push_back({column_names_[c], after[c], personal});
  }
}

std::size_t ReferenceNames::target_of(const storage::Entity& e, std::vector<std::string_view> fields,
                                      storage::Scope scope) {
  for (std::size_t t = 0; t < targets_.size(); ++t)
    if (targets_[t].entity == &e) return t;
  targets_.push_back(Target{&e, scope, std::move(fields), {}});
  return targets_.size() - 1;
}

std::optional<std::int64_t> ReferenceNames::id_in(const storage::Row& row, const Source& s) const {
  if (s.organisation) return row.org_id;
  if (s.field >= row.values.size()) return std::nullopt;
  if (const auto* id = std::get_if<std::int64_t>(&row.values[s.field])) return *id;
  return std::nullopt;
}

std::string ReferenceNames::name_of(const Target& t, const storage::Row& row) const {
  std::string name;
  bool personal = false;
  for (std::string_view field : t.fields) {
    personal = personal || t.entity->field(field)->has(storage::personal);
    const std::string* part = row.text(*t.entity, field);
    if (!part || part->empty()) continue;
    if (!name.empty()) name += ' ';
    name += *part;
  }
  // A name that is personal data, of a row whose personal fields the caller may not read.
  if (personal && records_.redacts(p_, *t.entity, row)) return {};
  return name;
}

void ReferenceNames::look_up(std::span<const storage::Row> rows) {
  std::vector<std::string> wanted(targets_.size());
  for (Target& t : targets_) t.names.clear();
  for (const storage::Row& row : rows)
    for (const Source& s : sources_)
      if (const auto id = id_in(row, s)) {
        Target& t = targets_[s.target];
        if (!t.names.emplace(*id, std::string()).second) continue;  // asked already
        std::string& ids = wanted[s.target];
        if (!ids.empty()) ids += ',';
        ids += std::to_string(*id);
      }
  for (std::size_t i = 0; i < targets_.size(); ++i) {
    if (wanted[i].empty()) continue;
    Target& t = targets_[i];
    storage::ListQuery q;
    q.scope = t.scope;
    q.filters.push_back({"id", storage::Filter::Op::one_of, storage::Value{std::move(wanted[i])}});
    q.limit = t.names.size();
    // Rows out of the caller's scope are not found: their names stay empty.
    for (const storage::Row& named : store_.list(*t.entity, q)) t.names[named.id] = name_of(t, named);
  }
}

void ReferenceNames::names_of(const storage::Row& row, std::vector<const std::string*>& out) const {
  out.assign(sources_.size(), nullptr);
  for (std::size_t c = 0; c < sources_.size(); ++c) {
    const auto id = id_in(row, sources_[c]);
    if (!id) continue;
    const Target& t = targets_[sources_[c].target];
    const auto it = t.names.find(*id);
    if (it != t.names.end() && !it->second.empty()) out[c] = &it->second;
  }
}

}  // namespace relance::exports
