// ExportRequest: what a caller asks an export for, typed. The API reads it from the query
// string (api/export_routes.cpp); the export use case checks it against the format's
// declared options before anything runs.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "plugin_host/exporter_session.hpp"
#include "relance/storage/store.hpp"

namespace relance::exports {

struct ExportRequest {
  std::string format;                 // an exporter's format id ("csv")
  std::vector<std::string> datasets;  // dataset names, in the file's order
  // Which rows: the filters and search of a list, for an export of one dataset (several
  // datasets are exported whole). The use case sets the reader's scope, the order and the
  // paging; whatever the caller put there is replaced.
  storage::ListQuery rows;
  std::optional<std::string> locale;  // "fr" or "en"; none: the caller's own
  std::vector<std::pair<std::string, std::string>> options;  // the format's options, by name
};

// Checks `r` against `format` and returns its datasets' entities, in order. Throws Problem
// 400 naming the offending parameter: a locale other than fr or en, an option the format
// does not declare or a value out of its choices, no dataset, an unknown dataset or one
// listed twice.
std::vector<const storage::Entity*> checked_datasets(const ExportRequest& r, const plugin_host::ExporterFormat& format);

}  // namespace relance::exports
