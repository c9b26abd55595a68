// The reports' reads from the aggregates of migration 14 (report_lead_counts,
// report_outcome_sums, report_leads, report_stays, report_outcomes), kept by triggers in
// every write transaction: a report reads sums instead of every lead and outcome it covers,
// and the values of its medians (stays, delays to a first follow-up) from one row each
// instead of a window or correlated reads over the activities. Each answers
// what the scan of the same name in report_queries.hpp answers, row for row (up to order);
// tests/unit/storage_report_aggregates_test.cpp compares them after every kind of write.
#pragma once

#include <optional>
#include <vector>

#include "relance/storage/report_reads.hpp"
#include "sqlite/connection.hpp"

namespace relance::storage::sqlite::aggregates {

std::vector<StageLeads> leads_by_stage(Connection& c, const ReportFilter& f);
std::vector<StagePath> stage_paths(Connection& c, const ReportFilter& f);
std::vector<StageStay> stage_stays(Connection& c, const ReportFilter& f);
std::vector<OutcomeGroup> outcome_groups(Connection& c, const ReportFilter& f);
std::vector<FirstFollowup> first_followups(Connection& c, const ReportFilter& f);
std::vector<StageLeads> stale_counts(Connection& c, const ReportFilter& f, std::optional<int> days, int default_days);

}  // namespace relance::storage::sqlite::aggregates
