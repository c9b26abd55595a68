// SQL of the reports' reads (relance/storage/report_reads.hpp) by scanning the leads, activities
// and outcomes they cover, on one connection: what the reports' index and the aggregates of
// migration 14 are checked against (tests), the benchmark's ceiling, the reads of a period
// that is not made of dates, and the reads neither covers (overdue follow-ups, stale leads).
#pragma once

#include <optional>
#include <vector>

#include "relance/storage/report_reads.hpp"
#include "sqlite/connection.hpp"

namespace relance::storage::sqlite {

std::vector<StageLeads> leads_by_stage(Connection& c, const ReportFilter& f);
std::vector<StagePath> stage_paths(Connection& c, const ReportFilter& f);
std::vector<StageStays> stage_stays(Connection& c, const ReportFilter& f);
std::vector<OutcomeGroup> outcome_groups(Connection& c, const ReportFilter& f);
std::vector<MissionFollowups> first_followups(Connection& c, const ReportFilter& f);
std::vector<OrgCount> overdue_followups(Connection& c, const ReportFilter& f);
std::vector<StageLeads> stale_counts(Connection& c, const ReportFilter& f, std::optional<int> days, int default_days);
StaleLeads stale_leads_of(Connection& c, const ReportFilter& f, std::optional<int> days, int default_days,
                          std::size_t limit);
// Each lead's title, read by its id (the reports' index holds none).
void add_titles(Connection& c, std::vector<StaleLeadEntry>& leads);

}  // namespace relance::storage::sqlite
