// Feeding the reports' in-memory index (report_index/report_index.hpp) from SQLite: the
// whole of report_leads and report_stays on the first read, then, before each read, the
// leads that report_changes (migration 16) names after the last change the index holds.
#pragma once

#include "report_index/report_index.hpp"
#include "sqlite/connection.hpp"

namespace relance::storage::sqlite {

// Brings `index` up to the last change `c`'s snapshot holds (a reader's). Callers serialise
// it (one feed at a time); a snapshot older than the index's changes nothing.
void feed_report_index(Connection& c, ReportIndex& index);

// Each organisation's stale-stage cadence rules that are enabled: the fewest days by stage.
StaleRules stale_rules(Connection& c);

}  // namespace relance::storage::sqlite
