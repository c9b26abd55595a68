// A report's JSON document as the tables of a file (csv, xlsx...): one table per report,
// a row per start-up and stage, breakdown or lead, the mission's totals first under the
// start-up "Total". The summary holds every report's table and one of the definitions.
#pragma once

#include <boost/json/object.hpp>

#include <vector>

#include "exports/table_export.hpp"
#include "reports/report_service.hpp"

namespace relance::reports {

std::vector<exports::Table> tables_of(Report r, const boost::json::object& doc);

}  // namespace relance::reports
