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
#include <functional>
#include <optional>
#include <string>
#include <utility>
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

// The spread of some durations: how many, their median (the middle value, or the mean of
// the two middle ones) and p90 (nearest rank: the value at rank ceil(0.9 n) in order).
struct Spread {
  std::int64_t n = 0;
  std::optional<double> median, p90;  // seconds; none when n is 0
};

// How long the leads of one organisation (or of all, in the totals) stayed in one stage, each
// stay from entering it (the lead's creation or the stage change into it) to the stage change
// out of it.
struct StageStays {
  std::int64_t org_id = 0;  // 0 in the totals
  std::string stage;
  Spread seconds;
};
struct StaysReport {
  std::vector<StageStays> by_org;
  std::vector<StageStays> totals;  // by the stage's name in the totals
};
// The name a stage counts under in the totals of several organisations (a member sees other
// start-ups' own stages as "other"): called once per stage name, not per stay.
using TotalsStageName = std::function<std::string(const std::string& stage)>;

// What some outcomes add up to: how many, their amounts in euro cents (each converted when
// written), in each currency they were written in (minor units, by currency code) and jobs.
struct OutcomeSums {
  std::int64_t count = 0;
  std::int64_t amount_eur = 0;
  std::vector<std::pair<std::string, std::int64_t>> amounts;  // currency -> minor units, by currency
  std::int64_t jobs = 0;
};

// The outcomes a filter covers: their totals over every organisation, and broken down over
// the organisations asked (all, or one: a start-up's member sees the mission's totals and
// their own breakdown).
struct OutcomeReport {
  OutcomeSums totals;
  std::vector<std::pair<std::int64_t, OutcomeSums>> by_org;     // by organisation id
  std::vector<std::pair<std::string, OutcomeSums>> by_kind;     // by kind
  std::vector<std::pair<std::string, OutcomeSums>> by_month;    // "YYYY-MM", in order
  // By the partner's sector without case (ASCII, as the sector filter compares it), named as
  // most of its outcomes spell it (a tie: the first spelling in byte order); "": none.
  std::vector<std::pair<std::string, OutcomeSums>> by_sector;
  struct Partner {
    std::int64_t company_id = 0;  // 0: none
    std::string name;
    OutcomeSums sums;
  };
  // The partners with the most in euros, then the most outcomes, then by id; at most the
  // limit asked, the others summed in other_partners.
  std::vector<Partner> by_partner;
  std::int64_t partners_total = 0;
  OutcomeSums other_partners;
};

// The mission leads (those with a source event) of one organisation (or of all, in the
// totals) and their first follow-ups. A lead's follow-up clock starts at its first meeting,
// else the day after its event ended, once that instant has passed (`started` counts those
// leads); `delays` spreads, over the started leads followed up, the seconds from there to
// their first call, email or meeting after it; `within[i]` counts those of at most the i-th
// bound asked, in seconds.
struct MissionFollowups {
  std::int64_t org_id = 0;  // 0 in the totals
  std::int64_t leads = 0;
  std::int64_t started = 0;
  Spread delays;
  std::vector<std::int64_t> within;
};
struct FollowupsReport {
  std::vector<MissionFollowups> by_org;
  MissionFollowups totals;
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
  // The completed stays of the filter's leads, by organisation and stage, and by stage
  // across organisations, each stage under its name in the totals.
  virtual StaysReport stage_stays(const ReportFilter& f, const TotalsStageName& totals_name) = 0;
  // The filter's outcomes; broken down over `only_org` when given, else every organisation.
  virtual OutcomeReport outcomes(const ReportFilter& f, std::optional<std::int64_t> only_org,
                                 std::size_t partner_limit) = 0;
  // The filter's mission leads, by organisation and in all; `within`: the bounds (seconds)
  // delays are counted up to.
  virtual FollowupsReport first_followups(const ReportFilter& f, const std::vector<double>& within) = 0;
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
