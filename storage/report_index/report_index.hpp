// ReportIndex: what the region's reports count of each lead, held in memory, so that a
// report reads every lead it covers in a few milliseconds whatever its filter.
//
// Why in memory: a report must answer within 100 ms with 16 clients on two cores
// (docs/performance.md, "Region reports"), about 10 ms of CPU each, for any mix of
// mission, start-up, sector, partner and period, with exact medians. Sums kept by SQL
// triggers answered an unfiltered report from a few hundred rows but a period cut inside
// months, or a median (every value read and sorted), from tens of thousands of rows through
// SQLite's VM: 0.1 to 1.7 s at 40,000 leads. Here a lead is a 64-byte record and its
// stays a few pairs: 200,000 leads are about 25 MB and one pass over them about a
// millisecond.
//
// The database stays the source of truth: the rows come from report_leads and report_stays
// (kept by the triggers of migration 14, in every write path), and each lead a write
// recomputed is named in report_changes with a sequence number (migration 16). The backend
// brings the index up to date before a read (sqlite/report_index_feed.hpp), so that a
// report sees every write committed before it, from this process or another.
//
// Thread safety: reads run concurrently; apply() waits for them and they for it.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "relance/storage/report_reads.hpp"

namespace relance::storage {

// One lead as report_leads and report_stays keep it.
struct ReportLeadRow {
  std::int64_t lead_id = 0, org_id = 0, event_id = 0, company_id = 0;  // 0: none
  std::string sector_key;  // the company's sector folded as SQLite's lower() folds it; "\x01": none
  std::string created_at;  // instants, "YYYY-MM-DDTHH:MM:SS.mmmZ"
  std::string stage;
  std::string path;        // the stages it has been in, joined by the unit separator
  std::string last_at;
  std::optional<std::string> ref_at;  // a mission lead's follow-up clock start
  std::optional<double> delay;        // seconds from ref_at to its first follow-up
  std::vector<std::pair<std::string, double>> stays;  // stage, seconds
  std::vector<std::string> pending_due;  // due instants of its open or snoozed follow-ups
};

// The days after which an open lead is stale, by organisation and stage: each start-up's
// enabled stale-stage cadence rules (the fewest days of a stage's rules).
using StaleRules = std::unordered_map<std::int64_t, std::unordered_map<std::string, int>>;

class ReportIndex {
 public:
  // The sequence number of the last change the index holds (-1: nothing loaded yet).
  std::int64_t seq() const;
  // Replaces every lead.
  void load(std::vector<ReportLeadRow> rows, std::int64_t seq);
  // Replaces the leads `changed` by `rows`: a changed lead without a row was deleted.
  void apply(const std::vector<std::int64_t>& changed, std::vector<ReportLeadRow> rows, std::int64_t seq);

  // The reads of ReportReads of the same names. Each answers what the scan of every lead
  // answers (tests/unit/storage_report_aggregates_test.cpp); none when the filter's period
  // is not made of dates, which only a scan compares as the text it is.
  std::optional<std::vector<StageLeads>> leads_by_stage(const ReportFilter& f) const;
  std::optional<std::vector<StagePath>> stage_paths(const ReportFilter& f) const;
  std::optional<std::vector<StageStays>> stage_stays(const ReportFilter& f) const;
  std::optional<std::vector<MissionFollowups>> first_followups(const ReportFilter& f) const;
  std::optional<std::vector<OrgCount>> overdue_followups(const ReportFilter& f) const;
  std::optional<std::vector<StageLeads>> stale_counts(const ReportFilter& f, std::optional<int> days,
                                                      int default_days, const StaleRules& rules) const;
  // stale_leads_of without the leads' titles, which the index does not hold.
  std::optional<StaleLeads> stale_leads(const ReportFilter& f, std::optional<int> days, int default_days,
                                        const StaleRules& rules, std::size_t limit) const;

 private:
  // A lead, its texts replaced by numbers: an index into names_ (stages, paths, sectors),
  // its instants in milliseconds since 1970.
  struct Lead {
    std::int64_t id = 0, org_id = 0, event_id = 0, company_id = 0;
    std::int32_t org = 0;  // into orgs_
    std::int32_t sector = 0, stage = 0, path = 0;
    std::int32_t created_day = 0;  // days since 1970 of its creation's date
    std::int64_t last_ms = 0;
    std::int64_t ref_ms = no_instant;
    double delay = 0;
    bool has_delay = false;
    std::vector<std::pair<std::int32_t, double>> stays;  // stage, seconds
    std::vector<std::int64_t> pending_due_ms;
  };
  static constexpr std::int64_t no_instant = std::numeric_limits<std::int64_t>::min();

  struct Selection;  // a filter made of numbers (report_index.cpp)
  std::optional<Selection> select(const ReportFilter& f) const;
  template <class Visit>
  void each(const Selection& s, Visit visit) const;
  // Calls visit(lead, idle days) for each stale lead of the selection.
  template <class Visit>
  void each_stale(const Selection& s, std::optional<int> days, int default_days, const StaleRules& rules,
                  Visit visit) const;

  std::int32_t name(const std::string& text);
  std::int32_t org(std::int64_t org_id);
  Lead lead_of(const ReportLeadRow& row);
  void put(const ReportLeadRow& row);
  void erase(std::int64_t lead_id);

  mutable std::shared_mutex mutex_;
  std::int64_t seq_ = -1;
  std::vector<Lead> leads_;
  std::unordered_map<std::int64_t, std::size_t> at_;  // lead id -> leads_
  std::vector<std::string> names_;
  std::unordered_map<std::string, std::int32_t> name_ids_;
  std::vector<std::int64_t> orgs_;  // dense number -> organisation id
  std::unordered_map<std::int64_t, std::int32_t> org_ids_;
};

}  // namespace relance::storage
