// Store: the only way core reads and writes data. It speaks in rows of the entities of
// schema.hpp and in the queries the services need; no SQL leaves storage/.
//
// Writes are asynchronous and grouped: write() queues a job; a single writer thread runs
// the jobs that are waiting inside one transaction (each job in its own savepoint, so one
// failing job does not fail the others) and commits them together. `done` is called on
// the writer thread only after the commit is durable, with the job's error if it failed or
// the commit failed. Reads run on the calling thread on a pooled read-only connection and
// see every write whose `done` has been called.
//
// The outbox and its delivery to plugins are not here: EventLog (event_log.hpp) reads them,
// and a write job reaches their writes through WriteTxn::events().
//
// Thread safety: every member function may be called from any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "relance/storage/contact_merge.hpp"
#include "relance/storage/event_log.hpp"
#include "relance/model/schema.hpp"
#include "relance/model/row.hpp"
#include "relance/model/value.hpp"

namespace relance::storage {

// Which rows a read may see.
struct Scope {
  enum class Kind {
    org,             // rows of one organisation
    org_and_shared,  // ...plus the rows of others that the entity's Sharing rule shows staff
    everything,      // every row (the server's own look-ups)
    org_and_region,  // rows of one organisation, plus the region's of an entity it shares
                     // with every organisation (Sharing::region_wide); org's rows otherwise
  };
  Kind kind = Kind::org;
  std::int64_t org_id = 0;

  static Scope org(std::int64_t id) { return Scope{Kind::org, id}; }
  static Scope org_and_shared(std::int64_t id) { return Scope{Kind::org_and_shared, id}; }
  static Scope everything() { return Scope{Kind::everything, 0}; }
  static Scope org_and_region(std::int64_t id) { return Scope{Kind::org_and_region, id}; }
};

struct Filter {
  // one_of: the column holds one of the integers of `value`, a text of decimal numbers
  // joined by commas ("12,15,18"): the rows of a batch of ids in one read (an export's
  // names beside its ids).
  enum class Op { eq, ge, lt, has_tag, is_null, one_of };
  std::string_view field;  // a field of the entity, or "id", "created_at", "updated_at"
  Op op = Op::eq;
  Value value;
};

struct ListQuery {
  Scope scope;
  std::vector<Filter> filters;
  std::string search;                 // words typed by the user (full-text, folded)
  std::string_view sort = "id";       // "id", "created_at", "updated_at" or a sortable field
  bool descending = false;
  std::optional<Value> after_sort;    // keyset cursor: the last row's sort value...
  std::optional<std::int64_t> after_id;  // ...and its id
  std::size_t limit = 50;
};

struct AuditEntry {
  std::int64_t org_id = 0;
  std::int64_t user_id = 0;
  std::string action;     // "create", "update", "delete", "login", ...
  std::string entity;     // "contacts"
  std::int64_t entity_id = 0;
  std::string changes;    // JSON text: {"field": [before, after], ...}
};

// A response remembered for an Idempotency-Key.
struct IdempotentResponse {
  std::string request_hash;
  int status = 0;
  std::string body;
  std::string etag;
};

// Storage errors that a caller may want to tell apart.
class StorageError : public std::runtime_error {
 public:
  enum class Kind { full, io, busy, constraint, corrupt, schema, other };
  StorageError(Kind k, const std::string& what) : std::runtime_error(what), kind_(k) {}
  Kind kind() const { return kind_; }

 private:
  Kind kind_;
};

// The writer's view of the database, valid only inside a write job.
class WriteTxn {
 public:
  virtual ~WriteTxn() = default;
  // Inserts `row` (id, version and timestamps are filled in) and returns its id.
  virtual std::int64_t insert(const Entity& e, Row& row) = 0;
  // insert() for each row, in order: the rows of a batch (an import's), which a backend
  // may write together much faster than one by one (SQLite: sqlite/row_sql.hpp).
  virtual void insert_many(const Entity& e, std::span<Row> rows) = 0;
  virtual std::optional<Row> get(const Entity& e, const Scope& scope, std::int64_t id) = 0;
  // Stores row.values and bumps the version. The caller checked the version it expected.
  virtual void update(const Entity& e, Row& row) = 0;
  virtual void remove(const Entity& e, std::int64_t org_id, std::int64_t id) = 0;
  // The rows `q` selects, as Store::list reads them, but inside the transaction (a
  // write that looks up the exchange rate its outcome's amount is converted at).
  virtual std::vector<Row> list(const Entity& e, const ListQuery& q) = 0;
  // True when another row of the entity references `id` through `field`.
  virtual bool referenced(const Entity& by, std::string_view field, std::int64_t id) = 0;
  // The rows of `by` of organisation `org_id` whose `field` holds `id`, in id order.
  virtual std::vector<Row> referencing(const Entity& by, std::string_view field, std::int64_t id,
                                       std::int64_t org_id) = 0;
  // Inserts `row` as it was before a delete: its id, version, timestamps and authors are
  // kept (undoing a merge brings the merged contact back). The id must be free.
  virtual void restore(const Entity& e, const Row& row) = 0;
  virtual std::optional<Row> find_unique(const Entity& e, std::string_view field,
                                         const Value& v) = 0;
  // The bytes of file `id` of organisation `org_id` (entities::attachments), inserted
  // first: the entity's fields hold its metadata only. Throws StorageError when there is
  // no such file.
  virtual void set_attachment_content(std::int64_t org_id, std::int64_t id, std::string_view bytes) = 0;
  virtual void audit(const AuditEntry& entry) = 0;
  // The event log's writes (event_log.hpp) in this same transaction: the outbox event of a
  // change commits or rolls back with it.
  virtual EventLogWrites& events() = 0;
  virtual std::optional<IdempotentResponse> idempotent(std::int64_t user_id,
                                                       const std::string& key) = 0;
  virtual void remember(std::int64_t user_id, const std::string& key,
                        const IdempotentResponse& response) = 0;

  // The follow-up scheduler's notices, recorded before the event they announce: false
  // when already recorded (the event must then not be published again).
  virtual bool record_followup_notice(std::int64_t followup_id, const std::string& due_at) = 0;
  virtual bool record_digest(std::int64_t user_id, const std::string& day) = 0;
  // A cadence rule acting on a lead for one occasion; false when it already did.
  virtual bool record_cadence_mark(std::int64_t rule_id, std::int64_t lead_id, const std::string& occasion) = 0;

  // Contact merges (contact_merge.hpp). insert sets the id and merged_at.
  virtual std::int64_t insert_contact_merge(ContactMergeRecord& merge) = 0;
  virtual std::optional<ContactMergeRecord> contact_merge(std::int64_t org_id, std::int64_t id) = 0;
  // Records the undo (undone_by, undo_result; sets undone_at). Throws StorageError when the
  // merge is unknown or already undone.
  virtual void set_contact_merge_undone(ContactMergeRecord& merge) = 0;
};

// The outcome of the latest checkpoint of the write-ahead log (sqlite3_wal_checkpoint_v2).
struct CheckpointStats {
  std::string mode;                      // "passive" or "truncate"; empty before the first
  std::int64_t log_frames = 0;           // frames in the log afterwards
  std::int64_t checkpointed_frames = 0;  // of those, the ones copied into the database
  bool busy = false;                     // it could not finish: a reader or the writer was in the way
  double at = 0;                         // when it ended, seconds since the Unix epoch
};

struct StoreStats {
  std::uint64_t write_jobs = 0;        // jobs run
  std::uint64_t write_failures = 0;    // jobs that failed (their own error or the commit)
  std::uint64_t commits = 0;           // transactions committed
  std::uint64_t write_queue_depth = 0; // jobs waiting now
  double commit_seconds_total = 0;     // time spent in COMMIT (fsync)
  std::uint64_t reads = 0;
  std::uint64_t readers_idle = 0;
  std::uint64_t readers_total = 0;
  std::int64_t database_bytes = 0;
  std::int64_t wal_bytes = 0;
  std::int64_t wal_limit_bytes = 0;       // the log is truncated back to this size
  CheckpointStats last_checkpoint;
  std::uint64_t wal_truncations = 0;      // checkpoints that emptied the log's file
  std::uint64_t wal_truncations_busy = 0; // attempts that a reader or the writer held back
};

struct AuditRecord {
  std::int64_t id = 0;
  std::string at;
  AuditEntry entry;
};

class Store {
 public:
  using Job = std::function<void(WriteTxn&)>;
  using Done = std::function<void(std::exception_ptr)>;

  virtual ~Store() = default;

  virtual void write(Job job, Done done) = 0;
  // Like write(), for a large job (an import's batch of hundreds of rows): it commits on
  // its own, not grouped with other jobs, so a backend need not make it undoable apart
  // from them (SQLite: why in sqlite/writer.hpp). Queued jobs keep their order either way.
  virtual void write_alone(Job job, Done done) = 0;
  // Runs `job` and waits for its commit; rethrows its error. For the CLI and tests.
  void write_sync(Job job);

  virtual std::optional<Row> get(const Entity& e, const Scope& scope, std::int64_t id) = 0;
  // The same read into `row`, whose vector and strings keep their capacity: a caller that
  // reads one row after another (a GET by id) reuses one Row and allocates almost nothing
  // per read. False when no row matches (`row` is then unspecified).
  virtual bool get_into(const Entity& e, const Scope& scope, std::int64_t id, Row& row) = 0;
  virtual std::vector<Row> list(const Entity& e, const ListQuery& q) = 0;
  // Every row list() would return (q.limit 0: no limit), one at a time, while `visit`
  // returns true, from one snapshot. For exports: it reads on a connection of its own that
  // does not map the file, so a scan of the whole table neither holds a pooled reader nor
  // makes the daemon's resident memory grow with the table. `visit` may throw (the scan
  // ends and the error goes on).
  virtual void scan(const Entity& e, const ListQuery& q, const std::function<bool(Row&)>& visit) = 0;
  virtual std::optional<Row> find_unique(const Entity& e, std::string_view field,
                                         const Value& v) = 0;
  virtual std::vector<AuditRecord> audit_log(std::int64_t org_id, std::int64_t before_id,
                                             std::size_t limit) = 0;
  // The audit entries of one row (`entity` "leads", its id), oldest first, at most `limit`:
  // a lead's sharing history, which both its organisation and region staff read.
  virtual std::vector<AuditRecord> audit_of_row(std::string_view entity, std::int64_t entity_id,
                                                std::size_t limit) = 0;
  virtual std::int64_t count(const Entity& e, const Scope& scope) = 0;
  // The bytes of file `id` of organisation `org_id` (set_attachment_content); nothing when
  // it has no such file. Lists of files never read them.
  virtual std::optional<std::string> attachment_content(std::int64_t org_id, std::int64_t id) = 0;
  virtual std::optional<ContactMergeRecord> contact_merge(std::int64_t org_id, std::int64_t id) = 0;
  virtual std::vector<ContactMergeRecord> contact_merges(const ContactMergeQuery& q) = 0;

  // Follow-ups whose due instant has come (due_at <= `now`), open or snoozed, for which no
  // followup.due was recorded at that instant; earliest first.
  virtual std::vector<Row> due_followups(const std::string& now, std::size_t limit) = 0;
  virtual bool digest_recorded(std::int64_t user_id, const std::string& day) = 0;
  // Open leads (not won or lost) of an organisation, of one owner and/or in one stage when
  // given, whose last activity of any kind (or, with none, their creation) is before
  // `before`, stalest first, with that instant.
  struct StaleLead {
    Row lead;
    std::string last_activity_at;  // "" when the lead has no activity
  };
  virtual std::vector<StaleLead> stale_leads(std::int64_t org_id, std::optional<std::int64_t> owner_id,
                                             const std::optional<std::string>& stage,
                                             const std::string& before, std::size_t limit) = 0;

  // True when the database answers and the writer runs.
  virtual bool ready() = 0;
  virtual StoreStats stats() = 0;
  // Copies the database to `path` with the online backup API and verifies the copy.
  virtual void backup(const std::string& path) = 0;
  // Finishes queued writes, then stops the writer. Later writes fail.
  virtual void close() = 0;
};

}  // namespace relance::storage
