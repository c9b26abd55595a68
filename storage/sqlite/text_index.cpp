#include "sqlite/text_index.hpp"

#include <sqlite3.h>

#include <exception>
#include <string>
#include <vector>

#include "relance/model/schema.hpp"

namespace relance::storage::sqlite {

void index_pending_text(Connection& c) {
  SQLite::Statement& any = c.statement("SELECT 1 FROM fts_pending LIMIT 1");
  const bool pending = any.executeStep();
  any.reset();
  // The trigger on fts_flush (migration_scripts.cpp, v7) does the work, so that the SQL that
  // indexes a row lives in the schema beside the triggers that queue it.
  if (pending) c.statement("INSERT INTO fts_flush (requested) VALUES (1)").exec();
}

namespace {

// Pages written per full-text table in one merge step: a write that arrives meanwhile
// waits for at most one step (a few milliseconds, with its commit).
constexpr int merge_pages = 32;

// The merge command of each full-text index: an entity with a searchable field has one,
// named after its table (as the searches in row_sql.cpp and the triggers of migration_scripts.cpp
// name it). Built once: the SQL is the same for every step.
const std::vector<std::string>& merge_commands() {
  static const std::vector<std::string> commands = [] {
    std::vector<std::string> out;
    for (const Entity* e : all_entities())
      if (e->has_search()) {
        const std::string fts = std::string(e->name) + "_fts";
        out.push_back("INSERT INTO " + fts + " (" + fts + ", rank) VALUES ('merge', " +
                      std::to_string(merge_pages) + ")");
      }
    return out;
  }();
  return commands;
}

}  // namespace

bool merge_text_indexes(Connection& c) {
  sqlite3* db = c.db().getHandle();
  bool worked = false;
  std::exception_ptr first_error;
  for (const std::string& merge : merge_commands()) {
    try {
      c.run("BEGIN IMMEDIATE");
      const auto before = sqlite3_total_changes64(db);
      c.fixed_statement(merge).exec();
      // FTS5's documented signal: a merge that did work changes two rows or more.
      const bool merged = sqlite3_total_changes64(db) - before >= 2;
      c.run("COMMIT");
      worked = worked || merged;
    } catch (...) {
      c.roll_back();
      if (!first_error) first_error = std::current_exception();
    }
  }
  if (first_error) std::rethrow_exception(first_error);
  return worked;
}

}  // namespace relance::storage::sqlite
