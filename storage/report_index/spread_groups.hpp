// Spreads by group, as the reads of ReportReads answer them: the values of each group
// (an organisation and a stage, say) and of the totals groups each also counts in.
// Shared by the reports' index and the scans it is checked against, so that both take
// their medians and p90 by the same definition (ranked_values.hpp).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "relance/storage/report_reads.hpp"
#include "report_index/ranked_values.hpp"

namespace relance::storage {

inline Spread spread_of(const GroupSpread& g) {
  Spread s;
  s.n = g.n;
  if (g.n > 0) {
    s.median = g.median;
    s.p90 = g.p90;
  }
  return s;
}

// Values added one by one, each to its group and to that group's total: the scans'
// side, where rows come with their names.
class GroupedValues {
 public:
  // The group of (org_id, name), counted also in the totals group `total` (made on first use).
  std::uint32_t group(std::int64_t org_id, const std::string& name, const std::string& total) {
    const auto [it, added] = own_.try_emplace({org_id, name}, 0);
    if (added) {
      it->second = next_++;
      const auto [t, new_total] = totals_.try_emplace(total, 0);
      if (new_total) t->second = next_++;
      total_of_.resize(next_);
      total_of_[it->second] = t->second;
    }
    return it->second;
  }
  void add(std::uint32_t group, double value) { entries_.push_back(RankedValues::Entry{value, 0, group}); }

  // The spreads of the groups and of the totals, in group order, and the bounds' counts.
  template <class Own, class Total>
  void spreads(const std::vector<double>& bounds, Own own, Total total) {
    RankedValues ranked;
    ranked.assign(std::move(entries_));
    const auto out = storage::spreads(
        ranked.entries(), next_,
        [&](const RankedValues::Entry& e, std::uint32_t* g) {
          g[0] = e.key;
          g[1] = total_of_[e.key];
          return 2;
        },
        bounds);
    for (const auto& [key, g] : own_) own(key.first, key.second, out[g]);
    for (const auto& [name, g] : totals_) total(name, out[g]);
  }

 private:
  std::map<std::pair<std::int64_t, std::string>, std::uint32_t> own_;
  std::map<std::string, std::uint32_t> totals_;
  std::vector<std::uint32_t> total_of_;
  std::uint32_t next_ = 0;
  std::vector<RankedValues::Entry> entries_;
};

}  // namespace relance::storage
