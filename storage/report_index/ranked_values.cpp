#include "report_index/ranked_values.hpp"

#include <algorithm>
#include <iterator>

namespace relance::storage {

void RankedValues::assign(std::vector<Entry> entries) {
  std::sort(entries.begin(), entries.end());
  entries_ = std::move(entries);
}

void RankedValues::replace(const std::vector<bool>& changed, std::vector<Entry> added) {
  std::sort(added.begin(), added.end());
  std::erase_if(entries_, [&](const Entry& e) { return e.slot < changed.size() && changed[e.slot]; });
  std::vector<Entry> merged;
  merged.reserve(entries_.size() + added.size());
  std::merge(entries_.begin(), entries_.end(), added.begin(), added.end(), std::back_inserter(merged));
  entries_ = std::move(merged);
}

}  // namespace relance::storage
