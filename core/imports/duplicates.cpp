#include "imports/duplicates.hpp"

#include <algorithm>
#include <map>
#include <numeric>

#include "imports/dedup.hpp"
#include "imports/key_table.hpp"

namespace relance::imports {
namespace ent = storage::entities;

namespace {

// Contacts by their index in scan order, joined into groups (union by index: the smallest
// index, the oldest contact, is a group's root).
class Groups {
 public:
  std::uint32_t add() {
    parent_.push_back(static_cast<std::uint32_t>(parent_.size()));
    return parent_.back();
  }
  std::uint32_t root(std::uint32_t i) {
    while (parent_[i] != i) i = parent_[i] = parent_[parent_[i]];
    return i;
  }
  void join(std::uint32_t a, std::uint32_t b) {
    a = root(a);
    b = root(b);
    if (a != b) parent_[std::max(a, b)] = std::min(a, b);
  }
  std::size_t size() const { return parent_.size(); }

 private:
  std::vector<std::uint32_t> parent_;
};

}  // namespace

DuplicateReport find_duplicates(storage::Store& store, std::int64_t org_id, std::size_t limit,
                                std::optional<std::int64_t> holding) {
  storage::ListQuery q;
  q.scope = storage::Scope::org(org_id);
  q.limit = 0;
  CompanyIndex companies;  // the import's rule for "the same company"
  companies.load(store, org_id);

  Groups groups;
  std::vector<std::int64_t> ids;
  detail::KeyTable keys;
  std::vector<std::pair<std::uint32_t, std::string>> joins;  // (contact, why) for each join
  store.scan(ent::contacts, q, [&](storage::Row& r) {
    std::string company;
    if (const auto* c = std::get_if<std::int64_t>(&r.get(ent::contacts, "company_id")))
      company = companies.name_of(*c);
    const std::uint32_t me = groups.add();
    ids.push_back(r.id);
    for (const DedupKey& k : dedup_keys(r, company)) {
      const detail::KeyHash h = detail::hash_key(k.kind, k.text);
      if (auto other = keys.find(h)) {
        if (groups.root(*other) != groups.root(me)) joins.emplace_back(me, k.why());
        groups.join(me, *other);
      } else {
        keys.insert(h, me);
      }
    }
    return true;
  });

  DuplicateReport report;
  report.contacts_scanned = ids.size();
  std::map<std::uint32_t, DuplicateGroup> by_root;  // ordered: by the group's oldest contact
  for (const auto& [member, why] : joins) {
    DuplicateGroup& g = by_root[groups.root(member)];
    if (std::find(g.reasons.begin(), g.reasons.end(), why) == g.reasons.end()) g.reasons.push_back(why);
  }
  for (std::uint32_t i = 0; i < groups.size(); ++i) {
    auto it = by_root.find(groups.root(i));
    if (it != by_root.end()) it->second.contact_ids.push_back(ids[i]);
  }
  for (auto& [root, group] : by_root) {
    if (holding && std::find(group.contact_ids.begin(), group.contact_ids.end(), *holding) == group.contact_ids.end())
      continue;
    ++report.groups_total;
    if (report.groups.size() < limit) report.groups.push_back(std::move(group));
  }
  return report;
}

}  // namespace relance::imports
