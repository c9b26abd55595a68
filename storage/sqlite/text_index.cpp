#include "sqlite/text_index.hpp"

#include <sqlite3.h>

#include <exception>
#include <string>
#include <vector>

namespace relance::storage::sqlite {

void index_pending_text(Connection& c) {
  SQLite::Statement& any = c.statement("SELECT 1 FROM fts_pending LIMIT 1");
  const bool pending = any.executeStep();
  any.reset();
  // The trigger on fts_flush (migrations.cpp, v7) does the work, so that the SQL that
  // indexes a row lives in the schema beside the triggers that queue it.
  if (pending) c.statement("INSERT INTO fts_flush (requested) VALUES (1)").exec();
}

bool merge_text_indexes(Connection& c, int pages) {
  std::vector<std::string> tables;
  SQLite::Statement& list = c.statement(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE % USING fts5(%'");
  while (list.executeStep()) tables.push_back(list.getColumn(0).getString());
  list.reset();
  sqlite3* db = c.db().getHandle();
  bool worked = false;
  std::exception_ptr first_error;
  for (const std::string& t : tables) {
    const std::string name = "\"" + t + "\"";  // our own names, quoted all the same
    try {
      c.run("BEGIN IMMEDIATE");
      const auto before = sqlite3_total_changes64(db);
      c.statement("INSERT INTO " + name + " (" + name + ", rank) VALUES ('merge', " + std::to_string(pages) + ")").exec();
      // FTS5's documented signal: a merge that did work changes two rows or more.
      const bool merged = sqlite3_total_changes64(db) - before >= 2;
      c.run("COMMIT");
      worked = worked || merged;
    } catch (...) {
      if (!sqlite3_get_autocommit(db)) sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
      if (!first_error) first_error = std::current_exception();
    }
  }
  if (first_error) std::rethrow_exception(first_error);
  return worked;
}

}  // namespace relance::storage::sqlite
