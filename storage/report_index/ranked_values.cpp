#include "report_index/ranked_values.hpp"

#include <algorithm>
#include <iterator>

namespace relance::storage {

void RankedValues::assign(std::vector<Entry> entries) {
  std::sort(entries.begin(), entries.end());
  entries_ = std::move(entries);
  index_slots();
}

void RankedValues::replace(const std::vector<bool>& changed, std::vector<Entry> added) {
  std::sort(added.begin(), added.end());
  std::erase_if(entries_, [&](const Entry& e) { return e.slot < changed.size() && changed[e.slot]; });
  std::vector<Entry> merged;
  merged.reserve(entries_.size() + added.size());
  std::merge(entries_.begin(), entries_.end(), added.begin(), added.end(), std::back_inserter(merged));
  entries_ = std::move(merged);
  index_slots();
}

// by_slot_ from entries_, by counting: linear, as replace() is.
void RankedValues::index_slots() {
  std::uint32_t slots = 0;
  for (const Entry& e : entries_) slots = std::max(slots, e.slot + 1);
  first_of_slot_.assign(slots + 1, 0);
  for (const Entry& e : entries_) ++first_of_slot_[e.slot + 1];
  for (std::size_t s = 1; s < first_of_slot_.size(); ++s) first_of_slot_[s] += first_of_slot_[s - 1];
  by_slot_.resize(entries_.size());
  std::vector<std::uint32_t> next(first_of_slot_.begin(), first_of_slot_.end() - 1);
  for (const Entry& e : entries_) by_slot_[next[e.slot]++] = e;
}

std::optional<std::vector<RankedValues::Entry>> RankedValues::gather(const std::vector<std::uint64_t>& slots,
                                                                      std::size_t at_most) const {
  std::vector<Entry> out;
  const std::size_t known = first_of_slot_.empty() ? 0 : first_of_slot_.size() - 1;
  bool too_many = false;
  each_set_bit(slots, [&](std::size_t slot) {
    if (slot >= known) return false;  // no value beyond
    out.insert(out.end(), by_slot_.begin() + first_of_slot_[slot], by_slot_.begin() + first_of_slot_[slot + 1]);
    too_many = out.size() > at_most;
    return !too_many;
  });
  if (too_many) return std::nullopt;
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace relance::storage
