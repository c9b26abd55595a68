// ImportService: the contact import jobs behind POST /api/v1/imports.
//
// A job reads an uploaded file (imports/import.hpp), checks every row against the same
// field rules as POST /api/v1/contacts, deduplicates (imports/dedup.hpp) and writes the
// contacts (and the companies they name) through the store writer, each with its audit
// entry and event, exactly as the API writes them: imports/import_run.hpp tells how.
//
// Jobs live in memory and their reports in files under `work_dir` (cleared at start): a
// restart forgets them. The uploaded file and the spool of checked rows are removed when
// the job ends; the job and its report `report_retention` later (then 404). Every file is
// private to the daemon (0600, app/file_modes.hpp). Jobs run one at a
// time on one worker thread, in the order they were posted; a job is visible to the members
// of the organisation that posted it only (others get 404).
//
// Thread safety: every member may be called from any thread.
#pragma once

#include <boost/json/object.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "auth/principal.hpp"
#include "relance/storage/store.hpp"
#include "services/org_directory.hpp"

namespace relance::imports {

struct ImportServiceOptions {
  std::string work_dir;                 // uploads and reports (created, emptied at start)
  std::uint64_t max_bytes = 100 << 20;  // imports.max_bytes: a larger file is refused (413)
  std::size_t batch = 5000;             // rows per write transaction
  std::string presets_dir;              // "" = the installed presets
  std::chrono::seconds report_retention{24 * 3600};  // imports.report_retention_seconds
};

struct ImportJob;

class ImportService {
 public:
  ImportService(storage::Store& store, services::OrgDirectory& orgs, ImportServiceOptions options);
  ~ImportService();
  ImportService(const ImportService&) = delete;
  ImportService& operator=(const ImportService&) = delete;

  // The query parameters start() understands (for the OpenAPI document).
  static std::vector<std::string> parameters();

  // Checks the parameters and the file (Problem 400/413/415/422 with a clear sentence),
  // stores it in the job's folder, then queues the job. Returns the job's id. `body` is the
  // request's, taken by reference: a copy of a 100 MB upload would double its memory.
  std::int64_t start(const auth::Principal& p, const std::string& body, const std::string& content_type,
                     const std::vector<std::pair<std::string, std::string>>& query);
  // The job as GET /api/v1/imports/{id} shows it; Problem 404 for a job of another
  // organisation or none.
  boost::json::object status(const auth::Principal& p, std::int64_t id);
  // The report: JSON lines ({"line","outcome","contact_id","detail","warnings"}) or CSV
  // (line,outcome,contact_id,detail). Complete once the job is done or failed.
  std::string report(const auth::Principal& p, std::int64_t id, bool csv);

  // GET /api/v1/contact-duplicates: the caller's organisation's groups of duplicate
  // contacts (imports/duplicates.hpp), the first `limit`, each with its contacts as the API
  // shows them: {"groups": [{"contact_ids", "reasons", "contacts"}], "groups_total",
  // "contacts_scanned"}.
  boost::json::object duplicates(const auth::Principal& p, std::size_t limit);

  // Ends the running job (it fails: "the daemon stopped") and the worker. Idempotent.
  void stop();

 private:
  void run_worker();
  void run(ImportJob& job);
  std::shared_ptr<ImportJob> find(const auth::Principal& p, std::int64_t id);
  // Forgets the jobs that ended more than report_retention ago, and removes their folders.
  void forget_expired();

  storage::Store& store_;
  services::OrgDirectory& orgs_;
  ImportServiceOptions options_;
  std::mutex mu_;
  std::condition_variable wake_;
  std::map<std::int64_t, std::shared_ptr<ImportJob>> jobs_;
  std::deque<std::shared_ptr<ImportJob>> queue_;
  std::int64_t next_id_ = 1;
  std::atomic<bool> stopping_{false};
  std::thread worker_;
};

}  // namespace relance::imports
