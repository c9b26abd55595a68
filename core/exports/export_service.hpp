// ExportService: turns records into files through the exporter plugins
// (relance.exporter/1). The formats are those of the loaded plugins; the rows are read
// with the caller's tenancy and privacy rules (RecordService::read_scope and redacts), a
// page at a time, and the bytes stream out through a BodyStream, so memory stays flat
// whatever the number of rows. DESIGN.md, "How data flows", 4.
//
// An export checks everything it can before the first byte: the format, the datasets, the
// filters and options (400 naming what is available), then the plugin's own open and
// begin_dataset of every dataset (400 with the plugin's reason; with several datasets,
// asked of a second instance that writes nowhere). Past that point a failure cuts the stream.
//
// Thread safety: all members may be called concurrently. Exports run on the service's own
// threads, each with an instance of its own, a step at a time: an export whose client does
// not read what waits parks and gives its thread to the others until the client reads.
#pragma once

#include <boost/json/object.hpp>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "auth/principal.hpp"
#include "plugin_host/host_services.hpp"
#include "plugin_host/registry.hpp"
#include "services/body_stream.hpp"
#include "services/record_service.hpp"
#include "services/work_pool.hpp"

namespace relance::exports {

using plugin_host::HostEnv;
using plugin_host::PluginRegistry;

// What the HTTP layer needs to send an export that has started.
struct ExportStarted {
  std::string content_type;
  std::string filename;
  std::shared_ptr<services::BodyStream> body;
};

class ExportService {
 public:
  ExportService(HostEnv& env, services::RecordService& records, const PluginRegistry& registry,
                std::size_t threads);
  ~ExportService();

  // The formats of the loaded exporter plugins, their options, and the datasets.
  boost::json::object formats() const;

  // Checks the request (throws Problem 400/404), then on an export thread opens the export
  // and calls `started` once: with the stream to send, or with the error (a Problem) when
  // the plugin refused it before its first byte.
  using Started = std::function<void(std::exception_ptr error, ExportStarted started)>;
  void start(const auth::Principal& p, const std::string& format, const services::QueryParams& query,
             Started started);

  // The query parameters an export understands besides the list filters.
  static std::vector<std::string> parameters();

  struct Format;  // one exporter: its plugin and declared options

 private:
  const Format* find(const std::string& format) const;

  HostEnv& env_;
  services::RecordService& records_;
  std::vector<Format> formats_;
  services::WorkPool pool_;
};

}  // namespace relance::exports
