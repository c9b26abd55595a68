// The full-text entries of rows written in the current transaction (migration 7): the rows
// wait in fts_pending, and index_pending_text() indexes them all in one statement, so
// that FTS5 writes one segment per commit instead of one per statement.
//
// Thread safety: as the connection's (the writer's thread).
#pragma once

#include "sqlite/connection.hpp"

namespace relance::storage::sqlite {

// Indexes every pending row, inside the caller's transaction; does nothing (one lookup)
// when none is pending. Call it before each commit of a transaction that may have written
// indexed tables.
void index_pending_text(Connection& c);

}  // namespace relance::storage::sqlite
