// ImportService: the contact import jobs behind POST /api/v1/imports.
//
// A job reads an uploaded file (imports/import.hpp), checks every row against the same
// field rules as POST /api/v1/contacts, deduplicates (imports/dedup.hpp) and writes the
// contacts (and the companies they name) through the store writer, each with its audit
// entry and event, exactly as the API writes them: imports/import_run.hpp tells how.
//
// start() stores the file in the job's folder, looks at its beginning only (a bounded
// check: a file that is not CSV or vCard, or whose header no preset knows, is refused there)
// and queues the job: its cost does not grow with the file. The worker then reads the whole
// file (imports/import_run.hpp); what it finds wrong further in fails the job, its `error`
// saying why, before anything is written.
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
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "auth/principal.hpp"
#include "relance/storage/store.hpp"
#include "services/org_directory.hpp"

namespace relance::imports {

enum class ImportMode { create_only, create_or_update, update_only };
// "create-only", "create-or-update", "update-only"; parse_mode: nullopt for another word.
std::string_view mode_name(ImportMode mode);
std::optional<ImportMode> parse_mode(std::string_view name);

// An import as a front (the API, a test) asks for it, its options already read.
struct ImportRequest {
  auth::Principal principal;
  std::string format = "auto";  // auto | csv | vcard
  std::string preset = "auto";  // auto, custom, or a preset's name
  std::map<std::string, std::string> mapping;  // custom: file column -> contact field
  ImportMode mode = ImportMode::create_only;
  bool dry_run = false;
  bool skip_invalid = false;
  std::string region;    // phones without a country code, in rows without a country: "" = the organisation's
  std::string tag;       // added to every imported contact's tags ("" = none)
  std::int64_t source_event_id = 0;  // the event every imported contact was met at (0 = none)
  std::string filename;  // the file's name as the client gives it ("" = none)
  std::string_view file; // the file's bytes: the caller's (a 100 MB upload is not copied)
  // An Idempotency-Key ("" = none) and what identifies the request it came with: a retried
  // upload with the same key and digest answers the first one's job, as long as it is kept.
  std::string idempotency_key;
  std::string request_digest;
};

// What start() made of a request: a job, or a refusal and why.
struct ImportStart {
  enum class Refusal {
    none,        // accepted: job_id
    read_only,   // the principal may not write
    no_file,     // the request holds no file
    too_large,   // over imports.max_bytes
    empty_file,  // a file with no text
    unreadable,  // not CSV or vCard, or broken in its beginning (detail: where and why)
    bad_option,  // an option the file contradicts (an unknown preset...), or a tag or event
                 // that cannot be given: `option`
    no_space,    // the file could not be stored
    key_reused,  // the Idempotency-Key came with another request
    key_in_use,  // the first request with the Idempotency-Key is still starting
  };
  Refusal refusal = Refusal::none;
  std::int64_t job_id = 0;
  std::string detail;  // a refusal's sentence
  std::string option;  // bad_option: which

  bool accepted() const { return refusal == Refusal::none; }
};

struct ImportServiceOptions {
  std::string work_dir;                 // uploads and reports (created, emptied at start)
  std::uint64_t max_bytes = 100 << 20;  // imports.max_bytes: a larger file is refused
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

  // Stores the file in a new job's folder, checks its beginning (imports/import.hpp,
  // check_beginning) and queues the job; or says why not.
  ImportStart start(const ImportRequest& request);
  // The job as GET /api/v1/imports/{id} shows it; Problem 404 for a job of another
  // organisation or none.
  boost::json::object status(const auth::Principal& p, std::int64_t id);
  // The report: JSON lines ({"line","outcome","contact_id","detail","warnings"}) or CSV
  // (line,outcome,contact_id,detail). Complete once the job is done or failed.
  std::string report(const auth::Principal& p, std::int64_t id, bool csv);

  // POST /api/v1/import-columns (nothing of an organisation is read): how an import would map the columns of a CSV file whose
  // beginning (its first MiB at most is read) is `head`: {"preset" (null when none
  // recognises the header), "preset_label", "encoding", "delimiter", "header_line",
  // "columns": [{"name", "field"}], "fields": the fields a mapping may name}. Throws the
  // Problem an import would for a file it cannot read at all.
  boost::json::object columns(std::string_view head);

  // GET /api/v1/contact-duplicates: the caller's organisation's groups of duplicate
  // contacts (imports/duplicates.hpp), the first `limit`, each with its contacts as the API
  // shows them: {"groups": [{"contact_ids", "reasons", "contacts"}], "groups_total",
  // "contacts_scanned"}. `holding`: only the group holding that contact.
  boost::json::object duplicates(const auth::Principal& p, std::size_t limit,
                                 std::optional<std::int64_t> holding = std::nullopt);

  // Ends the running job (it fails: "the daemon stopped") and the worker. Idempotent.
  void stop();

 private:
  // A refusal when the tag is not one a contact may have, or the event is not one its
  // contacts may name.
  ImportStart check_options(const ImportRequest& request);
  // The job a request describes, its options settled (the organisation's region...).
  std::shared_ptr<ImportJob> new_job(const ImportRequest& request);
  // Writes the file into the job's new folder and checks its beginning.
  ImportStart store_upload(ImportJob& job, const ImportRequest& request);
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
  // (user id, Idempotency-Key) -> the request's digest and its job (0 while it starts);
  // forgotten with the job.
  struct KeyedJob {
    std::string digest;
    std::int64_t job_id = 0;
  };
  std::map<std::pair<std::int64_t, std::string>, KeyedJob> keyed_jobs_;
  std::deque<std::shared_ptr<ImportJob>> queue_;
  std::int64_t next_id_ = 1;
  std::atomic<std::uint64_t> next_look_{1};  // names the files columns() reads
  std::atomic<bool> stopping_{false};
  std::thread worker_;
};

}  // namespace relance::imports
