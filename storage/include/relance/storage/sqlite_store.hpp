// The SQLite backend of Store and EventLog (embedded default): one database holds the
// records and the outbox, so an event commits with the change it announces. WAL journal, synchronous=FULL unless
// configured otherwise, one writer thread with group commit, a pool of read-only
// connections, and a checkpointer thread so that WAL checkpoints run outside the writer's
// commits and the log's file stays under wal_limit_bytes (storage/sqlite/checkpointer.hpp).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "relance/storage/event_log.hpp"
#include "relance/storage/report_reads.hpp"
#include "relance/storage/store.hpp"

namespace relance::storage {

struct SqliteOptions {
  std::string path;                 // the database file
  std::string synchronous = "FULL"; // FULL (default, durable on power loss) or NORMAL
  std::size_t readers = 4;          // read-only connections in the pool
  std::size_t max_batch = 1024;     // most jobs grouped in one commit
  std::int64_t max_bytes = 0;       // database size limit (0: none); writes past it fail
  int busy_timeout_ms = 5000;
  // The write-ahead log's file is brought back to this size: PRAGMA journal_size_limit when
  // the log starts over, and a checkpoint that empties it once it has grown larger.
  std::int64_t wal_limit_bytes = 64 << 20;
  // Called (from a background thread) when the check that follows a clean stop finds the
  // database damaged; from then on every write fails and ready() is false.
  std::function<void(const std::string&)> on_corruption;
};

// The interfaces over one database. The daemon hands the Store to the services, the
// EventLog to event delivery and the ReportReads to the reports; a caller that needs only
// one keeps a reference to it.
class SqliteStore : public Store, public EventLog, public ReportReads {};

// Opens the database, checks it (PRAGMA quick_check: before serving after a crash, beside
// serving after a clean stop), and applies pending migrations. Throws StorageError (kind
// schema) when the schema is newer than this build or half-migrated, (kind corrupt) when
// quick_check fails.
std::unique_ptr<SqliteStore> open_sqlite_store(const SqliteOptions& options);

struct MigrationReport {
  int from_version = 0;
  int to_version = 0;
};

// Applies pending migrations without starting a store (`relance migrate`), up to
// `target_version` (0: the latest; an older one builds the databases earlier releases left,
// to test the migrations after it).
MigrationReport migrate_sqlite(const std::string& path, int target_version = 0);
int latest_schema_version();

}  // namespace relance::storage
