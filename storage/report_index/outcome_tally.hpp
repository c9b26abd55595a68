// OutcomeTally: outcomes added up into an OutcomeReport (relance/storage/report_reads.hpp),
// their texts given as numbers into the caller's tables, so that adding one is a few array
// additions. The one place the outcomes report is summed: by the reports' index
// (outcome_index.hpp), outcome by outcome, and by the scan it is checked against, group by
// group.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "relance/storage/report_reads.hpp"

namespace relance::storage {

// One outcome, or a group of alike outcomes.
struct OutcomeItem {
  std::uint32_t org = 0;       // into the organisations' table
  std::uint32_t partner = 0;   // into the partners' table
  std::uint32_t kind = 0, month = 0, sector = 0;  // into the names' table
  std::uint32_t currency = 0;  // into the currencies' table
  bool broken_down = true;     // counted in the breakdown too, not in the totals only
  std::int64_t count = 1, amount = 0, amount_eur = 0, jobs = 0;
};

// The tables an OutcomeItem's numbers are into: organisation ids, partner company ids (0 for
// none), the kinds', months' and sectors' names ("" for no sector), currency codes ("" for no
// amount).
struct OutcomeNames {
  const std::vector<std::int64_t>& orgs;
  const std::vector<std::int64_t>& partners;
  const std::vector<std::string>& names;
  const std::vector<std::string>& currencies;
};

class OutcomeTally {
 public:
  // The sizes of the tables the items number into.
  OutcomeTally(std::size_t orgs, std::size_t partners, std::size_t names, std::size_t currencies);

  void add(const OutcomeItem& o);

  // The report, its numbers named again. Partners' names are left empty, for the caller to read.
  OutcomeReport report(const OutcomeNames& n, std::size_t partner_limit) const;

 private:
  // The sums of a set of groups (the organisations, the partners, ...), their amounts by
  // currency in one array: group g's in currency c at g * currencies + c. No allocation per
  // group: a report adds thousands of outcomes into thousands of partners.
  class Groups {
   public:
    Groups(std::size_t groups, std::size_t currencies);
    void add(std::size_t g, const OutcomeItem& o);
    void merge(std::size_t g, const Groups& from, std::size_t from_g);
    bool empty(std::size_t g) const { return count_[g] == 0; }
    std::int64_t count(std::size_t g) const { return count_[g]; }
    std::int64_t amount_eur(std::size_t g) const { return eur_[g]; }
    std::size_t size() const { return count_.size(); }
    OutcomeSums named(std::size_t g, const std::vector<std::string>& currencies) const;

   private:
    std::size_t currencies_;
    std::vector<std::int64_t> count_, eur_, jobs_, minor_;
    std::vector<std::int64_t> in_currency_;  // outcomes, by group and currency
  };
  Groups totals_, by_org_, by_partner_, by_kind_, by_month_, by_sector_;
  std::size_t currencies_;
};

}  // namespace relance::storage
