// Tables of values that are no record's (a report's figures) as one file through an
// exporter plugin: the same plugins and formats as the exports of records, each table a
// dataset of its own columns (plugin_host::ExporterSession::begin_table). A report's tables
// are small (figures by start-up, stage or month), so the file is made whole in memory
// rather than streamed.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/principal.hpp"
#include "plugin_host/exporter_session.hpp"
#include "relance/model/schema.hpp"
#include "relance/model/value.hpp"

namespace relance::exports {

struct Table {
  std::string_view name;                // the dataset's name in the file (a sheet's in xlsx)
  std::vector<storage::Field> columns;  // name (a literal: the file's header) and kind of each
  std::vector<std::vector<storage::Value>> rows;
};

struct TableFile {
  std::string content_type;
  std::string filename;
  std::string bytes;
};

// `tables` in `format`, in the caller's locale and time zone unless `locale` says otherwise,
// in a file named `<stem>-<today>.<extension>`. Throws plugin_host::ExporterRefused or
// ExporterUnavailable.
TableFile export_tables(plugin_host::HostEnv& env, const plugin_host::ExporterFormat& format,
                        const auth::Principal& p, const std::optional<std::string>& locale,
                        std::string_view stem, const std::vector<Table>& tables);

}  // namespace relance::exports
