#include "imports/dedup.hpp"

#include "domain/completing_patch.hpp"
#include "domain/json_text.hpp"
#include "domain/text.hpp"

namespace relance::imports {
namespace json = boost::json;
namespace ent = storage::entities;

namespace {

std::string folded(std::string_view s) { return domain::fold_case(domain::trim(s)); }

std::string stored_text(const storage::Row& row, const storage::Entity& e, std::string_view field) {
  const auto& v = row.get(e, field);
  return std::holds_alternative<std::string>(v) ? std::get<std::string>(v) : std::string();
}

}  // namespace

std::string company_key(std::string_view name) { return folded(name); }

std::string DedupKey::why() const {
  switch (kind) {
    case 'e': return "same email " + text;
    case 'p': return "same phone " + text;
    default: return "same name at " + company;
  }
}

std::vector<DedupKey> dedup_keys(const storage::Row& contact, std::string_view company) {
  std::vector<DedupKey> keys;
  for (auto& e : domain::row_list(contact, ent::contacts, "emails"))
    if (!e.empty()) keys.push_back({'e', std::move(e), {}});
  for (auto& p : domain::row_list(contact, ent::contacts, "phones"))
    if (!p.empty()) keys.push_back({'p', std::move(p), {}});
  const std::string f = folded(stored_text(contact, ent::contacts, "first_name"));
  const std::string l = folded(stored_text(contact, ent::contacts, "last_name"));
  const std::string c = company_key(company);
  if (!f.empty() && !l.empty() && !c.empty())
    keys.push_back({'n', f + '\x1f' + l + '\x1f' + c, domain::trim(company)});
  return keys;
}

void DedupIndex::load(storage::Store& store, std::int64_t org_id) {
  storage::ListQuery q;
  q.scope = storage::Scope::org(org_id);
  q.limit = 0;
  store.scan(ent::companies, q, [&](storage::Row& r) {
    add_company(stored_text(r, ent::companies, "name"), r.id);
    return true;
  });
  store.scan(ent::contacts, q, [&](storage::Row& r) {
    std::string company;
    if (const auto* id = std::get_if<std::int64_t>(&r.get(ent::contacts, "company_id")))
      company = company_name(*id);
    add(dedup_keys(r, company), add_target(DedupTarget{r.id, 0}));
    return true;
  });
}

void DedupIndex::reserve(std::size_t rows, std::size_t keys) {
  targets_.reserve(targets_.size() + rows);
  keys_.reserve(keys_.size() + keys);
}

std::optional<DedupMatch> DedupIndex::find(const std::vector<DedupKey>& keys) const {
  for (std::size_t i = 0; i < keys.size(); ++i)
    if (auto ref = keys_.find(detail::hash_key(keys[i].kind, keys[i].text)))
      return DedupMatch{*ref, i};
  return std::nullopt;
}

TargetRef DedupIndex::add_target(DedupTarget target) {
  targets_.push_back(target);
  return static_cast<TargetRef>(targets_.size() - 1);
}

void DedupIndex::add(const std::vector<DedupKey>& keys, TargetRef ref) {
  for (const auto& k : keys) keys_.insert(detail::hash_key(k.kind, k.text), ref);
}

std::optional<std::int64_t> DedupIndex::company(std::string_view name) const {
  auto it = companies_.find(company_key(name));
  if (it == companies_.end()) return std::nullopt;
  return it->second;
}

void DedupIndex::add_company(std::string_view name, std::int64_t id) {
  const std::string key = company_key(name);
  if (key.empty()) return;
  companies_.emplace(key, id);
  company_names_.emplace(id, std::string(name));
}

std::string DedupIndex::company_name(std::int64_t id) const {
  auto it = company_names_.find(id);
  return it == company_names_.end() ? std::string() : it->second;
}

std::vector<std::size_t> complete_contact(storage::Row& existing, storage::Row incoming,
                                          std::int64_t company_id) {
  // The file names a company, not its id: the id is the one the import found or created.
  if (company_id != 0) {
    incoming.values.resize(ent::contacts.fields.size());
    incoming.set(ent::contacts, "company_id", company_id);
  }
  return domain::complete_row(ent::contacts, existing, incoming);
}

}  // namespace relance::imports
