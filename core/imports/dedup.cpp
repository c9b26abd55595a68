#include "imports/dedup.hpp"

#include <boost/json/parse.hpp>

#include "domain/completing_patch.hpp"
#include "domain/record_json.hpp"
#include "domain/text.hpp"

namespace relance::imports {
namespace json = boost::json;
namespace ent = storage::entities;

namespace {

std::string text_of(const json::object& o, std::string_view field) {
  auto it = o.find(field);
  if (it == o.end() || !it->value().is_string()) return {};
  return std::string(it->value().get_string());
}

std::string folded(std::string_view s) { return domain::fold_case(domain::trim(s)); }

std::vector<DedupKey> keys_of(const std::vector<std::string>& emails,
                              const std::vector<std::string>& phones, std::string_view first,
                              std::string_view last, std::string_view company) {
  std::vector<DedupKey> keys;
  for (const auto& e : emails)
    if (!e.empty()) keys.push_back({"e:" + e, "same email " + e});
  for (const auto& p : phones)
    if (!p.empty()) keys.push_back({"p:" + p, "same phone " + p});
  const std::string f = folded(first), l = folded(last), c = company_key(company);
  if (!f.empty() && !l.empty() && !c.empty())
    keys.push_back({"n:" + f + '\x1f' + l + '\x1f' + c,
                    "same name at " + domain::trim(company)});
  return keys;
}

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

}  // namespace

std::string company_key(std::string_view name) { return folded(name); }

std::vector<DedupKey> dedup_keys(const json::object& contact, std::string_view company) {
  return keys_of(domain::string_items(contact, "emails"), domain::string_items(contact, "phones"),
                 text_of(contact, "first_name"), text_of(contact, "last_name"), company);
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
    add(keys_of(stored_list(r, "emails"), stored_list(r, "phones"),
                stored_text(r, ent::contacts, "first_name"),
                stored_text(r, ent::contacts, "last_name"), company),
        DedupTarget{r.id, 0});
    return true;
  });
}

std::optional<DedupMatch> DedupIndex::find(const std::vector<DedupKey>& keys) const {
  for (const auto& k : keys) {
    auto it = keys_.find(k.key);
    if (it == keys_.end()) continue;
    DedupTarget t = it->second;
    if (t.contact_id == 0 && t.line != 0) t.contact_id = contact_of_line(t.line);
    return DedupMatch{t, k.why};
  }
  return std::nullopt;
}

void DedupIndex::add(const std::vector<DedupKey>& keys, DedupTarget target) {
  for (const auto& k : keys) keys_.emplace(k.key, target);
}

void DedupIndex::resolve(std::size_t line, std::int64_t id) { written_[line] = id; }

std::int64_t DedupIndex::contact_of_line(std::size_t line) const {
  auto it = written_.find(line);
  return it == written_.end() ? 0 : it->second;
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
  if (company_id == 0) return domain::completing_patch(ent::contacts, existing, incoming);
  json::object linked = incoming;  // the file names a company, not its id
  linked["company_id"] = company_id;
  return domain::completing_patch(ent::contacts, existing, linked);
}

}  // namespace relance::imports
