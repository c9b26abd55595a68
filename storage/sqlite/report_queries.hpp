// SQL of the reports' reads (relance/storage/report_reads.hpp) by scanning the leads, activities
// and outcomes they cover, on one connection: what the reports' index is checked against
// (tests), the benchmark's ceiling, and the reads of a period that is not made of dates.
#pragma once

#include <optional>
#include <vector>

#include "relance/storage/report_reads.hpp"
#include "sqlite/connection.hpp"

namespace relance::storage::sqlite {

std::vector<StageLeads> leads_by_stage(Connection& c, const ReportFilter& f);
std::vector<StagePath> stage_paths(Connection& c, const ReportFilter& f);
StaysReport stage_stays(Connection& c, const ReportFilter& f, const TotalsStageName& totals_name);
OutcomeReport outcomes(Connection& c, const ReportFilter& f, std::optional<std::int64_t> only_org,
                       std::size_t partner_limit);
FollowupsReport first_followups(Connection& c, const ReportFilter& f, const std::vector<double>& within);
std::vector<OrgCount> overdue_followups(Connection& c, const ReportFilter& f);
std::vector<StageLeads> stale_counts(Connection& c, const ReportFilter& f, std::optional<int> days, int default_days);
StaleLeads stale_leads_of(Connection& c, const ReportFilter& f, std::optional<int> days, int default_days,
                          std::size_t limit);
// Each lead's title, read by its id (the reports' index holds none).
void add_titles(Connection& c, std::vector<StaleLeadEntry>& leads);

}  // namespace relance::storage::sqlite
