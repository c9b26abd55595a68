#include "imports/dedup.hpp"

#include <boost/json/parse.hpp>

#include <algorithm>

#include "domain/text.hpp"

namespace relance::imports {
namespace json = boost::json;
namespace ent = storage::entities;

namespace {

constexpr std::size_t max_list = 20;  // emails and phones a contact keeps (storage/schema.cpp)

std::vector<std::string> list_of(const json::object& o, std::string_view field) {
  std::vector<std::string> out;
  auto it = o.find(field);
  if (it == o.end() || !it->value().is_array()) return out;
  for (const auto& v : it->value().get_array())
    if (v.is_string()) out.emplace_back(v.get_string());
  return out;
}

std::string folded(std::string_view s) { return domain::fold_case(domain::trim(s)); }

std::vector<std::string> stored_list(const storage::Row& row, std::string_view field) {
  std::vector<std::string> out;
  const auto& v = row.get(ent::contacts, field);
  if (!std::holds_alternative<std::string>(v)) return out;
  boost::system::error_code ec;
  json::value parsed = json::parse(std::get<std::string>(v), ec);
  if (ec || !parsed.is_array()) return out;
  for (const auto& item : parsed.get_array())
    if (item.is_string()) out.emplace_back(item.get_string());
  return out;
}

std::string stored_text(const storage::Row& row, const storage::Entity& e, std::string_view field) {
  const auto& v = row.get(e, field);
  return std::holds_alternative<std::string>(v) ? std::get<std::string>(v) : std::string();
}

bool empty_value(const json::object& o, std::string_view field) {
  auto it = o.find(field);
  if (it == o.end() || it->value().is_null()) return true;
  if (it->value().is_string()) return domain::trim(it->value().get_string()).empty();
  if (it->value().is_array()) return it->value().get_array().empty();
  return false;
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
  for (auto& e : stored_list(contact, "emails"))
    if (!e.empty()) keys.push_back({'e', std::move(e), {}});
  for (auto& p : stored_list(contact, "phones"))
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

void DedupIndex::reserve(std::size_t keys) { keys_.reserve(keys_.size() + keys); }

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

json::object update_patch(const json::object& existing, const json::object& incoming,
                          std::int64_t company_id) {
  json::object patch;
  static constexpr std::string_view scalars[] = {"first_name", "last_name", "title",   "city",
                                                 "country",    "linkedin_url", "notes", "met_at",
                                                 "met_where",  "time_zone"};
  for (std::string_view f : scalars)
    if (empty_value(existing, f) && !empty_value(incoming, f)) patch[f] = incoming.at(f);
  if (company_id != 0 && empty_value(existing, "company_id")) patch["company_id"] = company_id;
  for (std::string_view f : {std::string_view("emails"), std::string_view("phones"),
                             std::string_view("tags")}) {
    std::vector<std::string> have = list_of(existing, f);
    const std::size_t before = have.size();
    for (auto& item : list_of(incoming, f)) {
      const bool known = f == "tags"
                             ? std::any_of(have.begin(), have.end(),
                                           [&](const std::string& h) { return folded(h) == folded(item); })
                             : std::find(have.begin(), have.end(), item) != have.end();
      if (!known && (f == "tags" || have.size() < max_list)) have.push_back(std::move(item));
    }
    if (have.size() == before) continue;
    json::array arr;
    for (auto& s : have) arr.emplace_back(s);
    patch[f] = std::move(arr);
  }
  return patch;
}

}  // namespace relance::imports
