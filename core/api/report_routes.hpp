// The report routes (/api/v1/reports/...), registered on the Router by add_routes().
#pragma once

#include "api/router.hpp"
#include "exports/export_service.hpp"
#include "reports/report_service.hpp"

namespace relance::api {

void add_report_routes(Router& router, reports::ReportService& reports, const exports::ExportService& exports);

}  // namespace relance::api
