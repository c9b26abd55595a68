// ReportReads: the aggregate reads behind the region's reports (core/reports/). Each
// answers counts grouped as the report needs them, so that a report never loads the rows
// it counts; what cannot be summed (medians and percentiles) comes back as the one number
// per lead or stay it needs, grouped by organisation. No personal field is ever read: a
// report cannot leak what it never reads.
//
// Every read covers every organisation matching the filter; who may see which of them by
// name is core's rule, not storage's.
//
// Thread safety: every member function may be called from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace relance::storage {

// Which leads (and their activities and follow-ups) or outcomes a report covers.
struct ReportFilter {
  std::optional<std::int64_t> org_id;
  std::optional<std::int64_t> event_id;            // leads: source_event_id; outcomes: event_id, else their lead's
  std::optional<std::string> sector;               // the sector of the lead's company (outcomes: the partner's)
  std::optional<std::int64_t> partner_company_id;  // leads: company_id; outcomes: the partner company
  std::optional<std::string> from, to;             // "YYYY-MM-DD", inclusive: leads created, outcomes dated
  std::string now;                                 // instant the report is made at ("...Z")
  // Read by scanning every row covered instead of the aggregates kept by the writes: what
  // the aggregates are checked against (tests) and the benchmark's ceiling.
  bool by_scan = false;
};

struct StageLeads {
  std::int64_t org_id = 0;
  std::string stage;
  std::int64_t leads = 0;
};

// Leads that have been in the same stages (their current one and both stages of each of
// their stage changes), in no particular order: how many, of which organisation.
struct StagePath {
  std::int64_t org_id = 0;
  std::vector<std::string> stages;
  std::int64_t leads = 0;
};

// How long the leads of one organisation stayed in one stage, each stay from entering it
// (the lead's creation or the stage change into it) to the stage change out of it: every
// completed stay's seconds, in no particular order.
struct StageStays {
  std::int64_t org_id = 0;
  std::string stage;
  std::vector<double> seconds;
};

// Outcomes grouped by organisation, kind, partner, sector, month and currency.
struct OutcomeGroup {
  std::int64_t org_id = 0;
  std::string kind;
  std::int64_t partner_id = 0;  // 0: none
  std::string partner_name;
  std::string sector;           // "": none
  std::string month;            // "YYYY-MM"
  std::string currency;         // "": no amount
  std::int64_t count = 0;
  std::int64_t amount = 0;      // minor units of `currency`
  std::int64_t amount_eur = 0;  // euro cents: the sum of the outcomes' amount_eur
  std::int64_t jobs = 0;
};

// The mission leads (those with a source event) of one organisation and their first
// follow-ups. A lead's follow-up clock starts at its first meeting, else the day after its
// event ended, once that instant has passed (`started` counts those leads); `delays` holds,
// for each started lead followed up, the seconds from there to its first call, email or
// meeting after it.
struct MissionFollowups {
  std::int64_t org_id = 0;
  std::int64_t leads = 0;
  std::int64_t started = 0;
  std::vector<double> delays;
};

struct OrgCount {
  std::int64_t org_id = 0;
  std::int64_t count = 0;
};

// An open lead (not won or lost) with no activity for at least `days` days.
struct StaleLeadEntry {
  std::int64_t org_id = 0;
  std::int64_t lead_id = 0;
  std::string title;
  std::string stage;
  std::string last_activity_at;  // the last activity, or the lead's creation
  double idle_days = 0;
};

// The stale leads of one organisation: the most idle first (then by id), at most the
// number asked, and how many there are in all.
struct StaleLeads {
  std::vector<StaleLeadEntry> leads;
  std::int64_t total = 0;
};

class ReportReads {
 public:
  virtual ~ReportReads() = default;

  // Leads by organisation and current stage.
  virtual std::vector<StageLeads> leads_by_stage(const ReportFilter& f) = 0;
  // Leads by organisation and the stages they have been in (current or left): how far each
  // went is read against its organisation's pipeline by the caller.
  virtual std::vector<StagePath> stage_paths(const ReportFilter& f) = 0;
  // Every completed stay of the filter's leads, by organisation and stage.
  virtual std::vector<StageStays> stage_stays(const ReportFilter& f) = 0;
  virtual std::vector<OutcomeGroup> outcome_groups(const ReportFilter& f) = 0;
  // The filter's mission leads, by organisation.
  virtual std::vector<MissionFollowups> first_followups(const ReportFilter& f) = 0;
  // Open or snoozed follow-ups of the filter's mission leads due before f.now, by organisation.
  virtual std::vector<OrgCount> overdue_followups(const ReportFilter& f) = 0;
  // Open leads idle for `days` days when given, else for their organisation's stale-stage
  // cadence rule's days for their stage, else `default_days`. Counted by organisation and
  // stage (`leads` set to the count), or listed (stale_leads_of) for one organisation.
  virtual std::vector<StageLeads> stale_counts(const ReportFilter& f, std::optional<int> days, int default_days) = 0;
  virtual StaleLeads stale_leads_of(const ReportFilter& f, std::optional<int> days, int default_days,
                                    std::size_t limit) = 0;
};

}  // namespace relance::storage
