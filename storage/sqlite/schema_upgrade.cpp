#include "sqlite/schema_upgrade.hpp"

#include <SQLiteCpp/Transaction.h>

#include <algorithm>
#include <string>

#include "sqlite/migration_scripts.hpp"
#include "sqlite/row_sql.hpp"

namespace relance::storage::sqlite {
namespace {

int user_version(Connection& c) { return c.db().execAndGet("PRAGMA user_version").getInt(); }

bool has_table(Connection& c, const char* name) {
  SQLite::Statement st(c.db(), "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?");
  st.bind(1, name);
  return st.executeStep();
}

[[noreturn]] void schema_error(const std::string& msg) {
  throw StorageError(StorageError::Kind::schema, msg);
}

}  // namespace

void configure_writer(Connection& c, const SqliteOptions& o) {
  c.exec("PRAGMA journal_mode = WAL");
  const std::string sync = o.synchronous == "NORMAL" ? "NORMAL" : "FULL";
  c.exec(("PRAGMA synchronous = " + sync).c_str());
  c.exec("PRAGMA foreign_keys = ON");
  // Checkpoints run on their own thread (see SqliteStore), never inside a commit.
  c.exec("PRAGMA wal_autocheckpoint = 0");
  // What the log's file is cut back to when it starts over (Checkpointer).
  c.exec(("PRAGMA journal_size_limit = " + std::to_string(std::max<std::int64_t>(0, o.wal_limit_bytes))).c_str());
  c.exec("PRAGMA cache_size = -32768");  // 32 MiB for the writer's working set
  c.exec("PRAGMA temp_store = MEMORY");
  if (o.max_bytes > 0) {
    const auto page = c.db().execAndGet("PRAGMA page_size").getInt64();
    c.exec(("PRAGMA max_page_count = " + std::to_string(o.max_bytes / page)).c_str());
  }
}

}  // namespace relance::storage::sqlite

namespace relance::storage {
int latest_schema_version() { return sqlite::migrations().back().version; }
}  // namespace relance::storage

namespace relance::storage::sqlite {

MigrationReport apply_migrations(Connection& c, int target_version) {
  try {
    MigrationReport report;
    report.from_version = user_version(c);
    const int latest = latest_schema_version();
    if (report.from_version > latest)
      schema_error("the database schema is version " + std::to_string(report.from_version) +
                   ", newer than this relance knows (" + std::to_string(latest) +
                   "); run a newer relance, or restore a backup taken with this one");
    const bool tracked = has_table(c, "schema_migrations");
    if (report.from_version == 0) {
      SQLite::Statement any(c.db(), "SELECT count(*) FROM sqlite_master");
      any.executeStep();
      if (any.getColumn(0).getInt() != 0)
        schema_error("the database has tables but no schema version: it is not a Relance "
                     "database, or a migration was interrupted outside a transaction");
    } else {
      if (!tracked) schema_error("the database has a schema version but no migration record");
      const int recorded =
          c.db().execAndGet("SELECT coalesce(max(version), 0) FROM schema_migrations").getInt();
      if (recorded != report.from_version)
        schema_error("the database is half-migrated: schema version " +
                     std::to_string(report.from_version) + " but migrations recorded up to " +
                     std::to_string(recorded) + "; restore a backup");
    }
    for (const Migration& m : migrations()) {
      if (m.version <= report.from_version) continue;
      if (target_version > 0 && m.version > target_version) break;
      SQLite::Transaction tx(c.db(), SQLite::TransactionBehavior::IMMEDIATE);
      c.exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
             "name TEXT NOT NULL, applied_at TEXT NOT NULL)");
      c.db().exec(m.sql);
      SQLite::Statement rec(c.db(), "INSERT INTO schema_migrations VALUES (?, ?, ?)");
      rec.bind(1, m.version);
      rec.bind(2, m.name);
      rec.bind(3, now_instant());
      rec.exec();
      c.exec(("PRAGMA user_version = " + std::to_string(m.version)).c_str());
      tx.commit();
    }
    report.to_version = user_version(c);
    return report;
  } catch (const SQLite::Exception& ex) {
    rethrow_as_storage_error(ex);
  }
}

}  // namespace relance::storage::sqlite
