// OrgDirectory: the per-organisation settings that validation needs on every write
// (pipeline stages, default phone region), cached so a write does not read the
// organisation's row each time.
//
// Thread safety: all members may be called concurrently.
#pragma once

#include <cstdint>
#include <memory>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "relance/storage/store.hpp"

namespace relance::services {

struct OrgSettings {
  std::int64_t id = 0;
  std::string name;
  std::string kind;
  std::vector<std::string> stages;
  std::string default_region;
};

class OrgDirectory {
 public:
  explicit OrgDirectory(storage::Store& store) : store_(store) {}

  // Throws Problem 404 when the organisation does not exist.
  std::shared_ptr<const OrgSettings> get(std::int64_t org_id);
  // Call after the commit that changed the organisation.
  void forget(std::int64_t org_id);

  static OrgSettings from_row(const storage::Row& row);

 private:
  storage::Store& store_;
  std::shared_mutex mu_;
  std::unordered_map<std::int64_t, std::shared_ptr<const OrgSettings>> cache_;
  std::uint64_t generation_ = 0;  // bumped by forget(), under mu_
};

}  // namespace relance::services
