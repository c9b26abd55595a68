// What an export asks of an exporter, free of the SDK's headers: the use case
// (core/exports/) and the plugin instances (plugin_instance.hpp) both speak of it.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace relance::plugin_host {

// What the exporter is asked for (relance_export_request).
struct ExportSettings {
  std::string options = "{}";  // JSON object of the format's options
  std::string locale = "en";
  std::string time_zone = "UTC";
  std::size_t datasets = 1;  // how many begin_dataset calls will come
};

// Where the exporter's bytes go: false stops the export (the plugin sees RELANCE_FATAL).
using ByteSink = std::function<bool(std::string_view bytes)>;

// An option an exporter accepts, and the table it declares, copied out of the plugin.
struct ExportOption {
  std::string name, description, default_value;
  std::vector<std::string> choices;  // empty: free text
};
struct ExporterTable {
  std::string format_id, extension, mime_type;
  std::vector<ExportOption> options;
};

}  // namespace relance::plugin_host
