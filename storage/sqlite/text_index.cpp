#include "sqlite/text_index.hpp"

#include <sqlite3.h>

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
      "SELECT name FROM sqlite_schema WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE % USING fts5(%'");
  while (list.executeStep()) tables.push_back(list.getColumn(0).getString());
  list.reset();
  sqlite3* db = c.db().getHandle();
  bool worked = false;
  c.run("BEGIN IMMEDIATE");
  try {
    for (const std::string& t : tables) {
      const int before = sqlite3_total_changes(db);
      c.statement("INSERT INTO " + t + " (" + t + ", rank) VALUES ('merge', " + std::to_string(pages) + ")").exec();
      // FTS5's documented signal: a merge that did work changes two rows or more.
      if (sqlite3_total_changes(db) - before >= 2) worked = true;
    }
    c.run("COMMIT");
  } catch (...) {
    if (!sqlite3_get_autocommit(db)) sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
  return worked;
}

}  // namespace relance::storage::sqlite
