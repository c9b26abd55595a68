// SQL of the reports' aggregate reads (relance/storage/report_reads.hpp), on one connection.
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
std::vector<StaleLeadEntry> stale_leads_of(Connection& c, const ReportFilter& f, std::optional<int> days,
                                           int default_days);

}  // namespace relance::storage::sqlite
