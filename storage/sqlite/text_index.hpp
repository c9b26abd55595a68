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

// One bounded step of FTS5's own merging of index segments: about 32 pages written per
// full-text table, each table in a transaction of its own (a table that fails
// does not hold the others back), and only where FTS5 has merging to do: a level of
// `usermerge` segments (FTS5's default, 4), or a merge under way. Commits merge levels of 8
// (`automerge`, migration_scripts.cpp) so that writes under load do less index work; when idle,
// merging levels of 4 costs no client anything and leaves searches fewer segments to read.
// The writer runs it when it has nothing queued, so that the merging a commit would
// otherwise do inline (and a crisis merge of a whole level, which stalls commits: see
// docs/performance.md, "Figures behind the code") is mostly done before the next writes come.
// Returns whether any table had work, so that the caller knows to go on; throws the first
// error after trying every table.
bool merge_text_indexes(Connection& c);

}  // namespace relance::storage::sqlite
