// SQL of the reports' reads (relance/storage/report_reads.hpp) by scanning the leads, activities
// and outcomes they cover, on one connection: what the aggregates of migration 14 are checked
// against (tests) and the benchmark's ceiling, and the reads the aggregates do not cover yet.
#pragma once

#include <optional>
#include <vector>

#include "relance/storage/report_reads.hpp"
#include "sqlite/connection.hpp"

namespace relance::storage::sqlite {

std::vector<StageLeads> leads_by_stage(Connection& c, const ReportFilter& f);
std::vector<StagePath> stage_paths(Connection& c, const ReportFilter& f);
std::vector<StageStay> stage_stays(Connection& c, const ReportFilter& f);
std::vector<OutcomeGroup> outcome_groups(Connection& c, const ReportFilter& f);
std::vector<FirstFollowup> first_followups(Connection& c, const ReportFilter& f);
std::vector<OrgCount> overdue_followups(Connection& c, const ReportFilter& f);
std::vector<StageLeads> stale_counts(Connection& c, const ReportFilter& f, std::optional<int> days, int default_days);
// `kept_last_activity`: each lead's last activity read from report_leads (migration 14)
// rather than from its activities.
std::vector<StaleLeadEntry> stale_leads_of(Connection& c, const ReportFilter& f, std::optional<int> days,
                                           int default_days, bool kept_last_activity);

}  // namespace relance::storage::sqlite
