// RankedValues: numbers the reports take quantiles of or count below a bound (the seconds
// of the leads' stays, the delays to their first follow-up, the due times of their pending
// follow-ups), kept in value order, each with the slot of its lead and a small key (a stay's
// stage).
//
// Why sorted: a median over the leads a filter covers needs every covered value. Gathering
// them by group and selecting the middle one (nth_element) cost most of a funnel report at
// 200,000 leads (600,000 stays copied three times and selected twice per group). Walking one
// array in value order instead, the k-th covered value of a group is the one met when the
// group's count reaches k: two sequential passes (count, then pick), no copy, exact.
//
// Keeping the order costs a merge per batch of changed leads (replace()), linear in the
// values, once per report that follows writes, not per write.
//
// A report that covers few leads (a start-up, a partner, a week) would still walk every
// value: gather() reads instead the values of the leads it covers, kept also by slot, and
// sorts those alone.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <vector>

namespace relance::storage {

// Calls visit(i) for each bit i set in `bits`, in order, while it returns true. The word in
// hand is read before its bits are visited: a visit may clear bits of `bits`.
template <class Visit>
void each_set_bit(const std::vector<std::uint64_t>& bits, Visit visit) {
  for (std::size_t w = 0; w < bits.size(); ++w)
    for (std::uint64_t word = bits[w]; word != 0; word &= word - 1)
      if (!visit(w * 64 + static_cast<std::size_t>(__builtin_ctzll(word)))) return;
}

class RankedValues {
 public:
  struct Entry {
    double value = 0;
    std::uint32_t slot = 0;  // the lead's slot in the index
    std::uint32_t key = 0;   // what the value is of (a stay: its stage's name)
    bool operator<(const Entry& o) const { return value < o.value; }
  };

  // Replaces every value.
  void assign(std::vector<Entry> entries);
  // Drops the values of the slots marked in `changed` (indexed by slot) and adds `added`.
  void replace(const std::vector<bool>& changed, std::vector<Entry> added);

  const std::vector<Entry>& entries() const { return entries_; }

  // The values of the slots whose bit is set in `slots`, in value order, unless there are
  // more than `at_most` of them (none: walk entries() instead).
  std::optional<std::vector<Entry>> gather(const std::vector<std::uint64_t>& slots, std::size_t at_most) const;

  // The values of the slots whose bit is set, in value order: gathered when the slots are
  // `few` (and their values not over a quarter of all), else all of them, the caller's test
  // of each slot leaving the rest.
  template <class Use>
  void in_order(const std::vector<std::uint64_t>& slots, bool few, Use use) const {
    if (few)
      if (const auto gathered = gather(slots, entries_.size() / 4)) return use(*gathered);
    use(entries_);
  }

 private:
  void index_slots();

  std::vector<Entry> entries_;  // by value
  std::vector<Entry> by_slot_;  // the same, by slot
  std::vector<std::uint32_t> first_of_slot_;  // slot -> its first in by_slot_; one more at the end
};

// The spread of a group's values: how many, their median (the middle one, or the mean of the
// two middle ones) and p90 (nearest rank: the value at rank ceil(0.9 n)), and how many are at
// most each bound asked.
struct GroupSpread {
  std::int64_t n = 0;
  double median = 0, p90 = 0;  // when n > 0
  std::vector<std::int64_t> at_most;
};

// The spreads of the groups of `entries` (in value order): `groups_of(entry, out)` writes the group numbers
// (below `groups`) an entry counts in, at most two (its own and a total), and returns how
// many (0: not covered by the report). `bounds`: the values at_most counts up to, inclusive.
template <class GroupsOf>
std::vector<GroupSpread> spreads(const std::vector<RankedValues::Entry>& entries, std::size_t groups,
                                 GroupsOf groups_of, const std::vector<double>& bounds = {}) {
  std::vector<GroupSpread> out(groups);
  std::uint32_t g[2];
  for (const auto& e : entries) {
    const int k = groups_of(e, g);
    for (int i = 0; i < k; ++i) ++out[g[i]].n;
  }
  // The 0-based ranks each group needs: the middle one(s) and p90's.
  struct Ranks {
    std::int64_t lo = -1, hi = -1, p90 = -1, seen = 0;
  };
  std::vector<Ranks> ranks(groups);
  for (std::size_t i = 0; i < groups; ++i) {
    const std::int64_t n = out[i].n;
    out[i].at_most.assign(bounds.size(), 0);
    if (n == 0) continue;
    ranks[i].lo = (n - 1) / 2;
    ranks[i].hi = n / 2;
    ranks[i].p90 = std::max<std::int64_t>((9 * n + 9) / 10, 1) - 1;  // ceil(0.9 n) - 1, in integers
  }
  for (const auto& e : entries) {
    const int k = groups_of(e, g);
    for (int i = 0; i < k; ++i) {
      GroupSpread& s = out[g[i]];
      Ranks& r = ranks[g[i]];
      if (r.seen == r.lo) s.median = e.value;
      if (r.seen == r.hi) s.median = (s.median + e.value) / 2;
      if (r.seen == r.p90) s.p90 = e.value;
      ++r.seen;
      for (std::size_t b = 0; b < bounds.size(); ++b)
        if (e.value <= bounds[b]) ++s.at_most[b];
    }
  }
  return out;
}

}  // namespace relance::storage
