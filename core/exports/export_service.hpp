// ExportService: turns records into files through the exporter plugins
// (relance.exporter/1, run by plugin_host/exporter_session.hpp). The formats are those of
// the loaded plugins; the rows are read with the caller's tenancy and privacy rules
// (RecordService::read_scope and redacts), a page at a time, and the bytes stream out
// through a BodyStream, so memory stays flat whatever the number of rows. DESIGN.md,
// "How data flows", 4.
//
// An export checks everything it can before the first byte: the format, the datasets and
// the options (checked_datasets), then the plugin's own open and begin_dataset of every
// dataset (ExportRefused with the plugin's reason; with several datasets, asked of a second
// instance that writes nowhere). Past that point a failure cuts the stream.
//
// Thread safety: all members may be called concurrently. Exports run on the service's own
// threads, each with an instance of its own, a step at a time: an export whose client does
// not read what waits parks and gives its thread to the others until the client reads.
#pragma once

#include <boost/json/object.hpp>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "auth/principal.hpp"
#include "exports/export_request.hpp"
#include "plugin_host/exporter_session.hpp"
#include "services/body_stream.hpp"
#include "services/record_service.hpp"
#include "services/work_pool.hpp"

namespace relance::exports {

// An export that has started: what to send and under which name.
struct ExportStarted {
  std::string content_type;
  std::string filename;
  std::shared_ptr<services::BodyStream> body;
};

// The exporter refused the export before its first byte (its open or begin_dataset said
// no): what() says which format, which step and the plugin's reason.
// kind(): what the plugin's status asks of the caller; option(): the format's option the
// reason names, "" when it names none.
class ExportRefused : public std::runtime_error {
 public:
  using Kind = plugin_host::ExporterRefused::Kind;
  ExportRefused(const std::string& what, Kind kind = Kind::invalid, std::string option = {})
      : std::runtime_error(what), kind_(kind), option_(std::move(option)) {}
  Kind kind() const { return kind_; }
  const std::string& option() const { return option_; }

 private:
  Kind kind_;
  std::string option_;
};

class ExportJob;  // one export under way (export_service.cpp)

class ExportService {
 public:
  // `call_budget`: a plugin call longer than this ends its export (a 503 before the first
  // byte, a cut stream after it), and the format refuses new exports (503) until the call
  // returns.
  ExportService(plugin_host::HostEnv& env, services::RecordService& records,
                const plugin_host::PluginRegistry& registry, std::size_t threads,
                std::chrono::milliseconds call_budget = std::chrono::milliseconds(10000));
  ~ExportService();

  // The formats of the loaded exporter plugins, their options, and the datasets.
  boost::json::object formats() const;
  // The format of that id; throws Problem not_found naming the available ones.
  const plugin_host::ExporterFormat& format(const std::string& id) const;

  // Checks the request (throws Problem 400), then on an export thread opens the export and
  // calls `started` once: with the stream to send, or with the error when the export could
  // not begin (ExportRefused, plugin_host::ExporterUnavailable, a storage error).
  using Started = std::function<void(std::exception_ptr error, ExportStarted started)>;
  void start(const auth::Principal& p, const ExportRequest& request, Started started);

  struct Plan;  // a request checked, ready to run

 private:
  std::shared_ptr<Plan> plan(const auth::Principal& p, const ExportRequest& request) const;

  void watch();

  plugin_host::HostEnv& env_;
  services::RecordService& records_;
  std::vector<plugin_host::ExporterFormat> formats_;
  services::WorkPool pool_;
  const std::chrono::milliseconds call_budget_;
  std::mutex mu_;
  std::vector<std::weak_ptr<ExportJob>> jobs_;
  std::set<std::string> suspended_;  // formats with a call past its budget
  bool stopping_ = false;
  std::condition_variable stop_cv_;
  std::thread watchdog_;  // last: started once the rest is ready
};

}  // namespace relance::exports
