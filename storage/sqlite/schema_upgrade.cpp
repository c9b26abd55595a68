#include "sqlite/schema_upgrade.hpp"

#include <SQLiteCpp/Transaction.h>
#include <sqlite3.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

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

// Base64 text as migration 13 wrote a file's bytes (unpadded base64url); the standard
// alphabet and padding are read too. Nothing when a character is neither.
std::optional<std::string> base64_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size() * 3 / 4);
  std::uint32_t bits = 0;
  int count = 0;
  for (const char ch : text) {
    int v;
    if (ch >= 'A' && ch <= 'Z') v = ch - 'A';
    else if (ch >= 'a' && ch <= 'z') v = ch - 'a' + 26;
    else if (ch >= '0' && ch <= '9') v = ch - '0' + 52;
    else if (ch == '-' || ch == '+') v = 62;
    else if (ch == '_' || ch == '/') v = 63;
    else if (ch == '=') continue;
    else return std::nullopt;
    bits = (bits << 6) | static_cast<std::uint32_t>(v);
    if (++count == 4) {
      out += static_cast<char>((bits >> 16) & 0xFF);
      out += static_cast<char>((bits >> 8) & 0xFF);
      out += static_cast<char>(bits & 0xFF);
      bits = 0;
      count = 0;
    }
  }
  if (count == 1) return std::nullopt;
  if (count == 2) out += static_cast<char>((bits >> 4) & 0xFF);
  if (count == 3) {
    out += static_cast<char>((bits >> 10) & 0xFF);
    out += static_cast<char>((bits >> 2) & 0xFF);
  }
  return out;
}

// relance_base64url_decode(text): its bytes as a BLOB, or NULL (migration 15).
void sql_base64url_decode(sqlite3_context* context, int, sqlite3_value** args) {
  if (sqlite3_value_type(args[0]) != SQLITE_TEXT) return sqlite3_result_null(context);
  const auto* text = reinterpret_cast<const char*>(sqlite3_value_text(args[0]));
  const auto decoded = base64_decode(std::string_view(text, static_cast<std::size_t>(sqlite3_value_bytes(args[0]))));
  if (!decoded) return sqlite3_result_null(context);
  sqlite3_result_blob64(context, decoded->data(), decoded->size(), SQLITE_TRANSIENT);
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
    // What the migrations' SQL calls beside SQLite's own functions.
    c.db().createFunction("relance_base64url_decode", 1, true, nullptr, &sql_base64url_decode);
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
