// The outcomes report's read from the aggregates of migration 14 (report_outcome_sums by
// month, report_outcomes for a period's partial months), kept by triggers in every write
// transaction: a report reads sums instead of every outcome it covers. It answers what the
// scan of the same name in report_queries.hpp answers, row for row (up to order);
// tests/unit/storage_report_aggregates_test.cpp compares them after every kind of write.
// The leads' reads come from memory (report_index/report_index.hpp).
#pragma once

#include <vector>

#include "relance/storage/report_reads.hpp"
#include "sqlite/connection.hpp"

namespace relance::storage::sqlite::aggregates {

std::vector<OutcomeGroup> outcome_groups(Connection& c, const ReportFilter& f);

}  // namespace relance::storage::sqlite::aggregates
