#include "sqlite/text_index.hpp"

namespace relance::storage::sqlite {

void index_pending_text(Connection& c) {
  SQLite::Statement& any = c.statement("SELECT 1 FROM fts_pending LIMIT 1");
  const bool pending = any.executeStep();
  any.reset();
  // The trigger on fts_flush (migrations.cpp, v7) does the work, so that the SQL that
  // indexes a row lives in the schema beside the triggers that queue it.
  if (pending) c.statement("INSERT INTO fts_flush (requested) VALUES (1)").exec();
}

}  // namespace relance::storage::sqlite
