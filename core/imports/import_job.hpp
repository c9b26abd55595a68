// Internal to core/imports: one import job as the service queues it, runs it (import_run)
// and shows it (GET /api/v1/imports/{id}).
//
// Thread safety: the counters are atomics (the API reads them while the job runs); the
// strings and `info` are guarded by `mu`; the rest is written by start() before the job is
// queued and then read by the worker only.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>

#include "auth/principal.hpp"
#include "imports/import.hpp"
#include "imports/import_service.hpp"

namespace relance::imports {

struct ImportJob {
  std::int64_t id = 0;
  auth::Principal principal;
  ImportOptions options;
  ImportMode mode = ImportMode::create_only;
  bool dry_run = false;
  bool skip_invalid = false;
  std::string tag;                   // given to every imported contact ("" = none)
  std::int64_t source_event_id = 0;  // set on every imported contact (0 = none)
  std::filesystem::path dir;  // the job's folder: the upload, the spool and the report
  std::filesystem::path upload;
  std::filesystem::path report_path;

  std::atomic<std::uint64_t> rows_read{0}, checked{0}, created{0}, updated{0}, skipped{0},
      invalid{0}, bytes_read{0};
  std::atomic<std::uint64_t> ignored{0};  // rows holding no contact (blank, a date only)
  std::uint64_t bytes_total = 0;
  std::mutex mu;  // the strings below, and info
  std::string state = "queued", phase, error, queued_at, started_at, finished_at;
  // The file as its beginning showed it at start(), then as the worker found it whole.
  SourceInfo info;
  std::string description;
  std::optional<std::chrono::steady_clock::time_point> ended;  // when the job ended: its report's age

  void set_phase(std::string p) {
    std::lock_guard lock(mu);
    phase = std::move(p);
  }
  void set_source(SourceInfo i, std::string d) {
    std::lock_guard lock(mu);
    info = std::move(i);
    description = std::move(d);
  }
};

}  // namespace relance::imports
