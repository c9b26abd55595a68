// OutcomeIndex: what the outcomes report counts of each outcome, held in memory beside the
// leads' index (report_index.hpp) and for the same reason: sums kept by triggers by month
// answered an unfiltered report from a few rows, but a sector, a period cut inside months
// or the breakdown by partner read and grouped thousands of rows through SQLite's VM, with
// each partner's name and sector joined (about 100 ms of CPU at 20,000 outcomes). Here an
// outcome is a 72-byte record of numbers and a report one pass adding into arrays
// (outcome_tally.hpp).
//
// The rows come from report_outcomes (kept by the triggers of migration 14) with their
// partner's sector; report_outcome_changes names each outcome a write changed, its partner's
// sector included (migration 18). Partners' names are not held: the few a report lists are
// read with it.
//
// Thread safety: reads run concurrently; load() and apply() wait for them and they for it.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <shared_mutex>
#include <string>
#include <vector>

#include "relance/storage/report_reads.hpp"
#include "report_index/dictionary.hpp"

namespace relance::storage {

// One outcome as report_outcomes keeps it, with its partner's sector.
struct ReportOutcomeRow {
  std::int64_t outcome_id = 0, org_id = 0, event_id = 0, partner_id = 0;  // 0: none
  std::string day;       // "YYYY-MM-DD": its date, else the day it was recorded
  std::string kind;
  std::string currency;  // "": no amount
  std::optional<std::string> sector;
  std::int64_t amount = 0, amount_eur = 0, jobs = 0;
};

class OutcomeIndex {
 public:
  // The sequence number of the last change the index holds (-1: nothing loaded yet).
  std::int64_t seq() const;
  // Replaces every outcome.
  void load(const std::vector<ReportOutcomeRow>& rows, std::int64_t seq);
  // Replaces the outcomes `changed` by `rows`: a changed outcome without a row was deleted.
  void apply(const std::vector<std::int64_t>& changed, const std::vector<ReportOutcomeRow>& rows, std::int64_t seq);

  // ReportReads::outcomes without the partners' names; none when the filter's period is not
  // made of dates, which only a scan compares as the text it is.
  std::optional<OutcomeReport> outcomes(const ReportFilter& f, std::optional<std::int64_t> only_org,
                                        std::size_t partner_limit) const;

 private:
  struct Outcome {
    std::int64_t event_id = 0;
    std::int64_t amount = 0, amount_eur = 0, jobs = 0;
    std::uint32_t org = 0, partner = 0;  // into orgs_, partners_
    std::uint32_t kind = 0, month = 0, sector = 0;  // into names_
    std::uint32_t currency = 0;                     // into currencies_
    std::int32_t sector_key = no_sector;  // the sector without case, into names_
    std::int32_t day = 0;                 // days since 1970
    bool live = false;                    // false: a free slot
  };
  static constexpr std::int32_t no_sector = -1;

  void put(const ReportOutcomeRow& row);

  mutable std::shared_mutex mutex_;
  std::int64_t seq_ = -1;
  std::vector<Outcome> outcomes_;  // by slot
  Slots slots_;
  Dictionary<std::string> names_, currencies_;
  Dictionary<std::int64_t> orgs_, partners_;
};

}  // namespace relance::storage
