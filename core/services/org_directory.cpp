#include "services/org_directory.hpp"

#include <mutex>

#include "domain/json_text.hpp"
#include "domain/problem.hpp"
#include "services/account_service.hpp"

namespace relance::services {
using storage::entities::organisations;

OrgSettings OrgDirectory::from_row(const storage::Row& row) {
  OrgSettings s;
  s.id = row.id;
  if (auto* n = std::get_if<std::string>(&row.get(organisations, "name"))) s.name = *n;
  if (auto* k = std::get_if<std::string>(&row.get(organisations, "kind"))) s.kind = *k;
  if (auto* r = std::get_if<std::string>(&row.get(organisations, "default_region")))
    s.default_region = *r;
  if (s.default_region.empty()) s.default_region = "FR";
  s.stages = domain::row_list(row, organisations, "pipeline_stages");
  if (s.stages.empty())
    for (std::string_view d : default_pipeline_stages()) s.stages.emplace_back(d);
  return s;
}

std::shared_ptr<const OrgSettings> OrgDirectory::get(std::int64_t org_id) {
  std::uint64_t generation;
  {
    std::shared_lock lock(mu_);
    if (auto it = cache_.find(org_id); it != cache_.end()) return it->second;
    generation = generation_;
  }
  auto row = store_.get(organisations, storage::Scope::everything(), org_id);
  if (!row) throw Problem::not_found();
  auto settings = std::make_shared<const OrgSettings>(from_row(*row));
  std::unique_lock lock(mu_);
  if (generation == generation_) cache_[org_id] = settings;  // else changed meanwhile
  return settings;
}

void OrgDirectory::forget(std::int64_t org_id) {
  std::unique_lock lock(mu_);
  cache_.erase(org_id);
  ++generation_;
}

}  // namespace relance::services
