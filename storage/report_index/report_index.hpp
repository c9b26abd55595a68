// ReportIndex: what the region's reports count of each lead, held in memory, so that a
// report reads every lead it covers in a few milliseconds whatever its filter.
//
// Why in memory: a report must answer within 100 ms with 16 clients on two cores
// (docs/performance.md, "Region reports"), about 10 ms of CPU each, for any mix of
// mission, start-up, sector, partner and period, with exact medians. Sums kept by SQL
// triggers answered an unfiltered report from a few hundred rows but a period cut inside
// months, or a median (every value read and sorted), from tens of thousands of rows through
// SQLite's VM: 0.1 to 1.7 s at 40,000 leads. Here the leads are held as columns of numbers
// (a column per field, by slot): a filter reads only the columns it compares and leaves a
// bit per lead (25 KB for 200,000), and a report reads only the columns it counts, 4 or 8
// bytes a lead (a mission summary made seven passes over 64-byte records, 90 MB of memory
// read, most of its time). The values medians are taken of (stays, delays) and the due
// times of pending follow-ups are kept sorted apart (ranked_values.hpp): a quantile is read
// in one pass in value order.
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
#include "report_index/dictionary.hpp"
#include "report_index/ranked_values.hpp"

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
  ReportIndex();
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
  std::optional<StaysReport> stage_stays(const ReportFilter& f, const TotalsStageName& totals_name) const;
  std::optional<FollowupsReport> first_followups(const ReportFilter& f, const std::vector<double>& within) const;
  std::optional<std::vector<OrgCount>> overdue_followups(const ReportFilter& f) const;
  std::optional<std::vector<StageLeads>> stale_counts(const ReportFilter& f, std::optional<int> days,
                                                      int default_days, const StaleRules& rules) const;
  // stale_leads_of without the leads' titles, which the index does not hold.
  std::optional<StaleLeads> stale_leads(const ReportFilter& f, std::optional<int> days, int default_days,
                                        const StaleRules& rules, std::size_t limit) const;

 private:
  static constexpr std::int64_t no_instant = std::numeric_limits<std::int64_t>::min();
  // The slots (leads) a filter covers, a bit each.
  struct Covered {
    std::vector<std::uint64_t> bits;
    std::size_t count = 0;  // bits set
    bool has(std::uint32_t slot) const { return (bits[slot / 64] >> (slot % 64)) & 1; }
    template <class Visit>
    void each(Visit visit) const {
      each_set_bit(bits, [&](std::size_t slot) {
        visit(static_cast<std::uint32_t>(slot));
        return true;
      });
    }
  };
  // A stay's key in stays_: its lead's organisation and its stage, so that a pass finds its
  // group without looking the lead up. Past 65,536 organisations or stage names, stage_stays()
  // leaves the stays to the scan.
  static std::uint32_t stay_key(std::int32_t org, std::int32_t stage) {
    return (static_cast<std::uint32_t>(org) << 16) | (static_cast<std::uint32_t>(stage) & 0xffff);
  }
  // The ranked values of the leads put by a load or a change.
  struct Added {
    std::vector<RankedValues::Entry> stays, delays, pending;
  };

  struct Selection;  // a filter made of numbers (report_index.cpp)
  std::optional<Selection> select(const ReportFilter& f) const;
  // The slots the selection covers.
  Covered covered(const Selection& s) const;
  // Whether `c` covers few enough leads that their values are best gathered by slot.
  bool few(const Covered& c) const { return c.count * 8 <= slots_.count(); }
  // Calls visit(slot, idle days) for each stale lead of `covered`.
  template <class Visit>
  void each_stale(const Selection& s, const Covered& covered, std::optional<int> days, int default_days,
                  const StaleRules& rules, Visit visit) const;

  // Puts the row in its lead's slot (a new one for a new lead) and its values in `added`.
  void put(const ReportLeadRow& row, Added& added);
  // Frees the slot of a lead, marking it in `changed`.
  void erase(std::int64_t lead_id, std::vector<bool>& changed);

  mutable std::shared_mutex mutex_;
  std::int64_t seq_ = -1;
  std::uint64_t generation_ = 0;  // changes with every load() and apply()
  // The leads, a column per field, by slot. Texts and ids are numbers into the dictionaries
  // below (event and company: 0 for none); instants are milliseconds since 1970.
  struct Columns {
    std::vector<std::int64_t> id;     // 0: a free slot
    std::vector<std::uint64_t> live;  // a bit per slot
    std::vector<std::int32_t> org, event, company, sector, stage, path;
    std::vector<std::int32_t> created_day;  // days since 1970 of its creation's date
    std::vector<std::int64_t> last_ms, ref_ms;
    void resize(std::size_t n);
    void set_live(std::uint32_t slot, bool live);
  };
  Columns leads_;
  Slots slots_;
  RankedValues stays_;    // seconds; key: stay_key()
  RankedValues delays_;   // seconds to the first follow-up; key: the organisation
  RankedValues pending_;  // due instants (ms) of open or snoozed follow-ups; key: the organisation
  // Numbered apart, so that the groups of a report (an organisation and a stage) are few.
  Dictionary<std::string> stages_, paths_, sectors_;
  Dictionary<std::int64_t> events_, companies_;  // id 0 (none) is number 0
  Dictionary<std::int64_t> orgs_;   // organisation ids
};

}  // namespace relance::storage
