// Feeding the reports' in-memory indexes (report_index/) from SQLite: the whole of
// report_leads and report_stays (report_outcomes) on the first read, then, before each read,
// the leads that report_changes (the outcomes that report_outcome_changes) name after the
// last change the index holds (migrations 16 and 18).
#pragma once

#include "report_index/outcome_index.hpp"
#include "report_index/report_index.hpp"
#include "sqlite/connection.hpp"

namespace relance::storage::sqlite {

// Brings `index` up to the last change `c`'s snapshot holds (a reader's). Callers serialise
// it (one feed at a time); a snapshot older than the index's changes nothing.
void feed_index(Connection& c, ReportIndex& index);
void feed_index(Connection& c, OutcomeIndex& index);

// The names of the partner companies listed in `report`, read by their ids.
void add_partner_names(Connection& c, OutcomeReport& report);

// Each organisation's stale-stage cadence rules that are enabled: the fewest days by stage.
StaleRules stale_rules(Connection& c);

}  // namespace relance::storage::sqlite
