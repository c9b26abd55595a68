#include "imports/dedup.hpp"

#include "domain/company_name.hpp"
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
  const std::string c = domain::company_name_key(company);
  if (!f.empty() && !l.empty() && !c.empty())
    keys.push_back({'n', f + '\x1f' + l + '\x1f' + c, domain::trim(company)});
  return keys;
}

void CompanyIndex::load(storage::Store& store, std::int64_t org_id) {
  storage::ListQuery q;
  q.scope = storage::Scope::org(org_id);
  q.limit = 0;
  store.scan(ent::companies, q, [&](storage::Row& r) {
    std::string domain = stored_text(r, ent::companies, "domain");
    if (domain::company_domain_key(domain).empty()) domain = stored_text(r, ent::companies, "website");
    add(stored_text(r, ent::companies, "name"), domain, r.id);
    return true;
  });
}

void CompanyIndex::add(std::string_view name, std::string_view domain, std::int64_t id) {
  const std::string name_key = domain::company_name_key(name);
  const std::string domain_key = domain::company_domain_key(domain);
  // The company it is the same as, if any: by domain first (two names, one web site), then
  // by name.
  std::optional<std::int64_t> same;
  if (auto it = by_domain_.find(domain_key); !domain_key.empty() && it != by_domain_.end()) same = it->second;
  else if (auto n = by_name_.find(name_key); !name_key.empty() && n != by_name_.end()) same = n->second;
  const std::int64_t stands_for = same.value_or(id);
  if (!name_key.empty()) by_name_.emplace(name_key, stands_for);
  if (!domain_key.empty()) by_domain_.emplace(domain_key, stands_for);
  names_.emplace(id, same ? name_of(*same) : domain::trim(name));
}

std::optional<std::int64_t> CompanyIndex::find(std::string_view name) const {
  auto it = by_name_.find(domain::company_name_key(name));
  if (it == by_name_.end()) return std::nullopt;
  return it->second;
}

std::string CompanyIndex::name_of(std::int64_t id) const {
  auto it = names_.find(id);
  return it == names_.end() ? std::string() : it->second;
}

void DedupIndex::load(storage::Store& store, std::int64_t org_id) {
  companies_.load(store, org_id);
  loaded_ = companies_;
  storage::ListQuery q;
  q.scope = storage::Scope::org(org_id);
  q.limit = 0;
  store.scan(ent::contacts, q, [&](storage::Row& r) {
    std::string company;
    if (const auto* id = std::get_if<std::int64_t>(&r.get(ent::contacts, "company_id")))
      company = companies_.name_of(*id);
    add(dedup_keys(r, company), add_target(DedupTarget{r.id, 0}));
    return true;
  });
}

std::string DedupIndex::company_as_known(std::string_view name) const {
  if (const auto id = loaded_.find(name)) return loaded_.name_of(*id);
  return std::string(name);
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
