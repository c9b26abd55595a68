// Connection: one SQLite connection with its prepared-statement cache. Not thread-safe:
// a connection belongs to one thread at a time (the writer's, or a reader borrowed from
// the pool).
#pragma once

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "relance/storage/store.hpp"

namespace relance::storage::sqlite {

class Connection {
 public:
  enum class Mode { read_write, read_only };
  Connection(const std::string& path, Mode mode, int busy_timeout_ms);

  SQLite::Database& db() { return db_; }
  // A prepared statement for `sql`, reset and with bindings cleared; prepared once.
  SQLite::Statement& statement(const std::string& sql);
  // The same for SQL built once and kept unchanged for the life of the process (an entity's
  // read by id): found by the string's address, without hashing its text, on the reads
  // the API serves most.
  SQLite::Statement& fixed_statement(const std::string& sql);
  SQLite::Statement& fixed_statement(std::string&&) = delete;  // a temporary's address is reused
  void exec(const char* sql) { db_.exec(sql); }
  // Runs one statement that returns no rows, prepared once (statement()): for the
  // transaction statements the writer and the readers run for every batch or snapshot,
  // which exec() would parse again each time.
  void run(const std::string& sql) { statement(sql).exec(); }
  // Ends the open transaction, if any, discarding its changes. Never throws: a transaction
  // that cannot be rolled back has been ended by SQLite already.
  void roll_back() noexcept;

 private:
  SQLite::Database db_;
  std::unordered_map<std::string, std::unique_ptr<SQLite::Statement>> cache_;
  std::unordered_map<const std::string*, SQLite::Statement*> fixed_;  // into cache_
};

// Binds a storage Value to parameter `index` (1-based).
void bind(SQLite::Statement& st, int index, const Value& v);
// Binds `values` to parameters 1, 2... in order. Text is bound without a copy: `values` must
// outlive the statement's execution.
void bind_all(SQLite::Statement& st, const std::vector<Value>& values);
// Reads column `index` (0-based) as a storage Value into `out`, reusing its string when it
// holds one.
void read_column_into(SQLite::Statement& st, int index, Value& out);

// The size of a file in bytes; 0 when it does not exist (a log not created yet).
std::int64_t file_size(const std::string& path);

// Turns an SQLite error into the StorageError a caller can act on.
[[noreturn]] void rethrow_as_storage_error(const SQLite::Exception& e);

// Runs `f` with SQLite's errors turned into StorageError.
template <class F>
auto guarded(F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const SQLite::Exception& ex) {
    rethrow_as_storage_error(ex);
  }
}

}  // namespace relance::storage::sqlite
