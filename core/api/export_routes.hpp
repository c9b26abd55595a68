// The export routes, registered on the Router by add_routes().
#pragma once

#include "api/router.hpp"
#include "domain/problem.hpp"
#include "exports/export_service.hpp"

namespace relance::api {

void add_export_routes(Router& router, exports::ExportService& exports);

// An exporter's refusal as the client hears it (docs/sdk.md, "Statuses"): RETRY a 503 with
// Retry-After, INVALID a 400 naming the option, FATAL (and statuses the host does not know)
// a 500.
Problem exporter_refusal(exports::ExportRefused::Kind kind, const std::string& detail, const std::string& option);

}  // namespace relance::api
